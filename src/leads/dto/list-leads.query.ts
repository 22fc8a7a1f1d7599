import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LEAD_FLAGS, LEAD_STATUSES, type LeadFlag, type LeadStatus } from '../lead-status';

export class ListLeadsQuery {
  @ApiPropertyOptional({ description: 'Only the lead with this email (case-insensitive).' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ description: 'Only leads with this tag (case-insensitive).' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  @ApiPropertyOptional({ enum: LEAD_STATUSES, description: 'Only leads with this status.' })
  @IsOptional()
  @IsIn(LEAD_STATUSES, { message: `status must be one of ${LEAD_STATUSES.join(', ')}` })
  status?: LeadStatus;

  @ApiPropertyOptional({ enum: LEAD_FLAGS, description: 'Only leads with this quality flag.' })
  @IsOptional()
  @IsIn(LEAD_FLAGS, { message: `flag must be one of ${LEAD_FLAGS.join(', ')}` })
  flag?: LeadFlag;

  @ApiPropertyOptional({ description: 'Page size, 1 to 200.', default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 200' })
  @Min(1, { message: 'limit must be an integer from 1 to 200' })
  @Max(200, { message: 'limit must be an integer from 1 to 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @Matches(/^[0-9a-f]{24}$/, { message: 'cursor must be the nextCursor value of a previous page' })
  cursor?: string;
}
