import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SUPPRESSION_REASONS, type SuppressionKind, type SuppressionReason } from '../suppression.entity';

export const MAX_ENTRIES_PER_CALL = 10_000;

export class AddSuppressionsBody {
  @ApiPropertyOptional({ type: [String], example: ['jane@example.com'], description: 'Stored as a SHA-256 hash.' })
  @IsOptional()
  @IsArray({ message: 'emails must be an array of strings' })
  @ArrayMaxSize(MAX_ENTRIES_PER_CALL, { message: 'emails and domains: at most 10,000 entries per call' })
  @IsString({ each: true, message: 'emails must be an array of strings' })
  @MaxLength(320, { each: true, message: 'each email must be at most 320 characters' })
  emails?: string[];

  @ApiPropertyOptional({ type: [String], example: ['example.org'], description: 'Blocks every address there.' })
  @IsOptional()
  @IsArray({ message: 'domains must be an array of strings' })
  @ArrayMaxSize(MAX_ENTRIES_PER_CALL, { message: 'emails and domains: at most 10,000 entries per call' })
  @IsString({ each: true, message: 'domains must be an array of strings' })
  @MaxLength(253, { each: true, message: 'each domain must be at most 253 characters' })
  domains?: string[];

  @ApiPropertyOptional({ enum: SUPPRESSION_REASONS, default: 'manual' })
  @IsOptional()
  @IsIn(SUPPRESSION_REASONS, { message: `reason must be one of ${SUPPRESSION_REASONS.join(', ')}` })
  reason?: SuppressionReason;
}

export class SuppressionDto {
  @ApiProperty({ example: '665d4e5f6a7b8c9d0e1f2a3b' }) id: string;
  @ApiProperty({ enum: ['email', 'domain'] }) kind: SuppressionKind;
  @ApiProperty({ description: 'The domain, or the hex SHA-256 of the email identity (never the address).' })
  value: string;
  @ApiProperty({ enum: SUPPRESSION_REASONS }) reason: SuppressionReason;
  @ApiProperty() createdAt: Date;
}

export class SuppressionPageDto {
  @ApiProperty({ type: [SuppressionDto] }) suppressions: SuppressionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AddedSuppressionsDto {
  @ApiProperty({ description: 'New entries', example: 2 }) added: number;
  @ApiProperty({ description: 'Entries the list had already', example: 0 }) existing: number;
  @ApiProperty({ description: 'Values that are neither a valid email nor a domain (CSV imports: rows)', example: 0 })
  invalid: number;
}

export class ListSuppressionsQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
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
