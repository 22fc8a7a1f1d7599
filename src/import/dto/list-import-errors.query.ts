import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListImportErrorsQuery {
  @ApiPropertyOptional({ description: 'Page size, 1 to 1,000.', default: 1000, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 1000' })
  @Min(1, { message: 'limit must be an integer from 1 to 1000' })
  @Max(1000, { message: 'limit must be an integer from 1 to 1000' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (a row number).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'cursor must be the nextCursor value of a previous page' })
  @Min(0, { message: 'cursor must be the nextCursor value of a previous page' })
  cursor?: number;
}
