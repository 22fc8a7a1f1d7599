import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { ListLeadsQuery } from '../../leads/dto/list-leads.query';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
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

export class ListSuppressionsQuery extends PickType(ListLeadsQuery, ['limit', 'cursor'] as const) {}
