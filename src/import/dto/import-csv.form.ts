import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidationError } from '../../common/app-error';
import { TAG_MAX_LENGTH } from '../../leads/tag.entity';

/** The multipart form of POST /v1/leads/import/csv, as Swagger shows it (with a file picker). */
export class ImportCsvForm {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'CSV file with headers. Must contain an email column.',
  })
  file: unknown;

  @ApiPropertyOptional({
    type: 'string',
    description:
      'JSON string mapping CSV column headers to lead fields. Example: {"Email Address": "email", "First": ' +
      '"firstName", "Company": "companyName"}. If omitted, columns are auto-detected from common header aliases. ' +
      'Use "skip" to ignore a column. Unmapped columns become custom fields.',
    example: '{"Email Address": "email", "First": "firstName", "Company": "companyName"}',
  })
  mapping?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: true,
    description: 'Skip leads whose email already exists (false = update existing). Accepts true/false/1/0/yes/no.',
  })
  skipDuplicates?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: true,
    description: 'Normalize emails, phone numbers, names. Accepts true/false/1/0/yes/no.',
  })
  dataCleanup?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: TAG_MAX_LENGTH, description: 'Tag to apply to all imported leads' })
  tag?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'Preview: run the whole import (reading, mapping, cleaning, duplicate checks against your leads) and write ' +
      'nothing. The answer has the counts and errors the real import would give now, and `preview`: the first 10 ' +
      'rows as they would be stored, with what cleanup changed. Accepts true/false/1/0/yes/no.',
  })
  dryRun?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'Fail rows whose address is a role mailbox (info@, sales@, noreply@…) with "Role-based email address". ' +
      'Accepts true/false/1/0/yes/no.',
  })
  rejectRoleAddresses?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'Fail rows whose domain is a disposable mailbox provider with "Disposable email address". ' +
      'Accepts true/false/1/0/yes/no.',
  })
  rejectDisposable?: string;
}

export interface ImportFormValues {
  mapping: string | undefined;
  skipDuplicates: boolean;
  dataCleanup: boolean;
  tag: string | null;
  dryRun: boolean;
  rejectRoleAddresses: boolean;
  rejectDisposable: boolean;
}

export const FORM_FIELDS = [
  'mapping',
  'skipDuplicates',
  'dataCleanup',
  'tag',
  'dryRun',
  'rejectRoleAddresses',
  'rejectDisposable',
] as const;

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** Reads the text fields of the form; every bad value is a 400 that names the field. */
export function parseImportForm(body: Record<string, unknown>): ImportFormValues {
  for (const name of Object.keys(body)) {
    if (!(FORM_FIELDS as readonly string[]).includes(name)) {
      throw new ValidationError(
        `Unknown form field "${name}". Allowed fields: file, ${FORM_FIELDS.join(', ')} (names are case-sensitive).`,
      );
    }
  }
  const tag = text(body, 'tag')?.trim();
  if (tag !== undefined && [...tag].length > TAG_MAX_LENGTH) {
    throw new ValidationError(`tag must be at most ${TAG_MAX_LENGTH} characters.`);
  }
  return {
    mapping: text(body, 'mapping'),
    skipDuplicates: flag(body, 'skipDuplicates', true),
    dataCleanup: flag(body, 'dataCleanup', true),
    tag: tag || null,
    dryRun: flag(body, 'dryRun', false),
    rejectRoleAddresses: flag(body, 'rejectRoleAddresses', false),
    rejectDisposable: flag(body, 'rejectDisposable', false),
  };
}

function text(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ValidationError(`Send the "${name}" field only once.`);
  return value;
}

function flag(body: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = text(body, name)?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ValidationError(`${name} must be true or false (1/0 and yes/no are accepted too).`);
}
