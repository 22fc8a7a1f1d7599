import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEAD_FLAGS, LEAD_STATUSES, type LeadFlag, type LeadStatus } from '../lead-status';

export class LeadDto {
  @ApiProperty({ example: '665d4e5f6a7b8c9d0e1f2a3b' }) id: string;
  @ApiProperty({ example: 'jane@acme.com' }) email: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Jane' }) firstName: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Doe' }) lastName: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Acme' }) companyName: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'CTO' }) jobTitle: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '+4930123456' }) phone: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://www.linkedin.com/in/janedoe' })
  linkedinUrl: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://acme.com' }) website: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) city: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) state: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) country: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) timezone: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { Industry: 'Software' } })
  customFields: Record<string, string>;
  @ApiProperty({ type: [String], example: ['webinar-2026'] }) tags: string[];
  @ApiProperty({
    enum: LEAD_STATUSES,
    example: 'active',
    description: 'Only active leads are mailed; no import changes it.',
  })
  status: LeadStatus;
  @ApiProperty({ enum: LEAD_FLAGS, isArray: true, example: ['free'], description: 'Quality flags of the address.' })
  flags: LeadFlag[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class LeadPageDto {
  @ApiProperty({ type: [LeadDto] }) leads: LeadDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}

export class DeletedLeadDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: true }) deleted: boolean;
  @ApiPropertyOptional({ description: 'With suppress=true: the email was added to the suppression list.' })
  suppressed?: boolean;
  @ApiPropertyOptional({
    description: 'With erase=true: import error rows and undo-ledger entries the address was removed from.',
    example: 3,
  })
  erasedRecords?: number;
}
