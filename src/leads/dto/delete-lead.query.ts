import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/** true/false/1/0/yes/no, as the import's form fields; anything else stays a string and fails IsBoolean. */
const toBoolean = ({ value }: { value: unknown }) => {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  return value;
};

export class DeleteLeadQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Also add the email to the suppression list.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'suppress must be true or false' })
  suppress?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'Right to be forgotten: suppress the email (stored hashed) and remove the address from every import report, ' +
      'error file and undo ledger of the workspace.',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'erase must be true or false' })
  erase?: boolean;
}
