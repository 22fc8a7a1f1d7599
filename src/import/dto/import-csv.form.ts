import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidationError } from '../../common/app-error';
import { formatBytes } from '../../common/text';
import { TAG_MAX_LENGTH } from '../../leads/tag.entity';
import { isKnownEncoding } from '../csv/encoding';
import { isAlpha2Code } from '../normalize/countries';
import { parseWebhookUrl, WEBHOOK_URL_MAX_LENGTH } from '../../webhooks/webhook-url';

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
    // Swagger UI pre-fills (and sends) a form field with its example, or "string" without one: start it empty.
    example: '',
  })
  mapping?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    description:
      'Skip leads whose email already exists (false = update existing). Default true. Accepts true/false/1/0/yes/no.',
    example: '',
  })
  skipDuplicates?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'Normalize emails, phone numbers, names. Default true. Accepts true/false/1/0/yes/no.',
    example: '',
  })
  dataCleanup?: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: TAG_MAX_LENGTH,
    description: 'Tag to apply to all imported leads',
    example: '',
  })
  tag?: string;

  @ApiPropertyOptional({
    type: 'string',
    description:
      "The file's character encoding, when detection gets it wrong: any label iconv-lite knows, e.g. utf-8, " +
      'windows-1252, windows-1251, windows-1250, shift_jis, gb18030, iso-8859-7, cp850. Default: detected.',
    example: 'windows-1251',
  })
  encoding?: string;

  @ApiPropertyOptional({
    type: 'string',
    description:
      'ISO 3166-1 alpha-2 code of the country whose national phone numbers the file holds (e.g. DE), for rows ' +
      'without a country. Default: the country at least 80% of the rows with a country name.',
    example: 'DE',
    pattern: '^[A-Za-z]{2}$',
  })
  defaultCountry?: string;

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

  @ApiPropertyOptional({
    type: 'string',
    format: 'uri',
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    description:
      'An http(s) URL to POST the report to when the import ends (completed, failed or interrupted), as JSON ' +
      "signed in `X-Leadport-Signature: sha256=<HMAC-SHA256 of the body with the workspace's webhook secret>` " +
      '(the secret: `npm run cli -- webhook:secret --workspace <id>`). Retried with backoff for 24 h until the ' +
      'receiver answers 2xx; redirects are not followed. The host must resolve to public addresses only (not ' +
      'private, loopback, link-local, unique-local, multicast or unspecified), else 400. See docs/webhooks.md.',
    example: '',
  })
  webhookUrl?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'Answer 202 as soon as the file is stored, with `{importId, status: "queued", statusUrl}` and a Location ' +
      'header, and import it in the background; poll `statusUrl` (GET /v1/leads/imports/{id}) for `status` and ' +
      '`progress`. The header `Prefer: respond-async` does the same. Accepts true/false/1/0/yes/no.',
  })
  async?: string;
}

/** The form field and header that ask for an async import (202, then poll the import's record). */
export const ASYNC_FIELD = 'async';

export interface ImportFormValues {
  mapping: string | undefined;
  skipDuplicates: boolean;
  dataCleanup: boolean;
  tag: string | null;
  /** Lower-case encoding label that overrides detection, when given. */
  encoding: string | undefined;
  /** Upper-case ISO 3166-1 alpha-2 code, when given. */
  defaultCountry: string | undefined;
  dryRun: boolean;
  rejectRoleAddresses: boolean;
  rejectDisposable: boolean;
  /** Normalised http(s) URL for the report when the import ends; its host is checked by WebhookTargets. */
  webhookUrl?: string;
}

export const FORM_FIELDS = [
  'mapping',
  'skipDuplicates',
  'dataCleanup',
  'tag',
  'encoding',
  'defaultCountry',
  'dryRun',
  'rejectRoleAddresses',
  'rejectDisposable',
  'webhookUrl',
  ASYNC_FIELD,
] as const;

/** Largest text field, `mapping` included: a mapping is kept with its import, and 64 KB names ~1,000 columns. */
export const FORM_FIELD_MAX_BYTES = 64 * 1024;

/** The 400 for a text field over FORM_FIELD_MAX_BYTES (also raised by the upload reader, before the field ends). */
export function fieldTooLarge(name: string): ValidationError {
  const hint =
    name === 'mapping'
      ? ' Map only the columns that need it: the others are auto-detected, and unmapped ones become custom fields.'
      : '';
  return new ValidationError(`Form field "${name}" is too long (at most ${formatBytes(FORM_FIELD_MAX_BYTES)}).${hint}`);
}

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** Whether the form asks for a preview (a bad value is reported by parseImportForm). */
export function isDryRun(body: unknown): boolean {
  const value = (body as Record<string, unknown> | undefined)?.dryRun;
  return typeof value === 'string' && TRUE.has(value.trim().toLowerCase());
}

/** Whether the request asks to be answered at once (202): `async=true`, or the header `Prefer: respond-async`. */
export function wantsAsync(body: Record<string, unknown>, prefer: string | undefined): boolean {
  const preferences = (prefer ?? '').split(',').map((preference) => preference.split(';')[0].trim().toLowerCase());
  return flag(body, ASYNC_FIELD, false) || preferences.includes('respond-async');
}

/** Reads the text fields of the form; every bad value is a 400 that names the field. */
export function parseImportForm(body: Record<string, unknown>): ImportFormValues {
  for (const name of Object.keys(body)) {
    if (!(FORM_FIELDS as readonly string[]).includes(name)) {
      throw new ValidationError(
        `Unknown form field "${name}". Allowed fields: file, ${FORM_FIELDS.join(', ')} (names are case-sensitive).`,
      );
    }
  }
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' && Buffer.byteLength(value) > FORM_FIELD_MAX_BYTES) throw fieldTooLarge(name);
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
    encoding: encodingLabel(body),
    defaultCountry: countryCode(body),
    dryRun: flag(body, 'dryRun', false),
    rejectRoleAddresses: flag(body, 'rejectRoleAddresses', false),
    rejectDisposable: flag(body, 'rejectDisposable', false),
    webhookUrl: webhookUrl(body),
  };
}

function webhookUrl(body: Record<string, unknown>): string | undefined {
  const value = text(body, 'webhookUrl');
  return value === undefined || value.trim() === '' ? undefined : parseWebhookUrl(value);
}

function encodingLabel(body: Record<string, unknown>): string | undefined {
  const label = text(body, 'encoding')?.trim();
  if (!label) return undefined;
  if (!isKnownEncoding(label)) {
    throw new ValidationError(
      `encoding "${label.slice(0, 50)}" is not a known encoding. Use a label such as utf-8, windows-1252, ` +
        'windows-1251, windows-1250, shift_jis, gb18030, iso-8859-7 or cp850, or leave it out to detect it.',
    );
  }
  return label.toLowerCase();
}

function countryCode(body: Record<string, unknown>): string | undefined {
  const code = text(body, 'defaultCountry')?.trim();
  if (!code) return undefined;
  if (!isAlpha2Code(code)) {
    throw new ValidationError(
      `defaultCountry must be an ISO 3166-1 alpha-2 country code such as US, DE or GB (got "${code.slice(0, 50)}").`,
    );
  }
  return code.toUpperCase();
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
