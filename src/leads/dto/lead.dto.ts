import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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
}
