import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, ValidateIf } from 'class-validator';
import { LEAD_STATUSES, type LeadStatus } from '../lead-status';

const text = (example?: string) =>
  ApiPropertyOptional({ type: String, nullable: true, example, description: 'null or "" clears it' });
/** A field may be a string, or null to clear it; undefined leaves it as it is. */
const optionalText = (name: string) => [
  IsOptional(),
  ValidateIf((_body, value) => value !== null),
  IsString({ message: `${name} must be a string or null` }),
];
const field = (name: string, example?: string): PropertyDecorator => {
  const decorators = [text(example), ...optionalText(name)];
  return (target, key) => decorators.forEach((decorator) => decorator(target, key));
};

/** PATCH /v1/leads/:id: the fields an import can set (cleaned the same way, same limits), custom fields, status. */
export class UpdateLeadBody {
  @ApiPropertyOptional({ example: 'jane@acme.com', description: 'Must stay unique in the workspace.' })
  @IsOptional()
  @IsString({ message: 'email must be a string' })
  email?: string;

  @field('firstName', 'Jane') firstName?: string | null;
  @field('lastName', 'Doe') lastName?: string | null;
  @field('companyName', 'Acme') companyName?: string | null;
  @field('jobTitle', 'CTO') jobTitle?: string | null;
  @field('phone', '+4930123456') phone?: string | null;
  @field('linkedinUrl') linkedinUrl?: string | null;
  @field('website') website?: string | null;
  @field('city') city?: string | null;
  @field('state') state?: string | null;
  @field('country') country?: string | null;
  @field('timezone') timezone?: string | null;
  @field('notes') notes?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    example: { Industry: 'Software' },
    description: "Merged into the lead's custom fields (at most 4 MB in all); null removes one.",
  })
  @IsOptional()
  @IsObject({ message: 'customFields must be an object of strings (or null to remove one)' })
  customFields?: Record<string, string | null>;

  @ApiPropertyOptional({ enum: LEAD_STATUSES })
  // Absent leaves the status as it is; null is not a status (IsOptional would let it through to the database).
  @ValidateIf((_body, value) => value !== undefined)
  @IsIn(LEAD_STATUSES, { message: `status must be one of ${LEAD_STATUSES.join(', ')}` })
  status?: LeadStatus;
}
