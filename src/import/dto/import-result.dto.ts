import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CsvDelimiter } from '../csv/csv-sniffer';
import { ImportRowErrorDto } from './import-record.dto';

export class RenamedColumnDto {
  @ApiProperty({ description: '1-based column position in the file', example: 4 }) column: number;
  @ApiProperty({ description: 'The header as written (blank for a blank header)', example: 'Email' }) original: string;
  @ApiProperty({ description: 'The name used in columns and mapping', example: 'Email (2)' }) renamed: string;
}

export class MappingDetailDto {
  @ApiProperty({ example: 'E-mail 1 - Value' }) column: string;
  @ApiProperty({ example: 'email' }) target: string;
  @ApiProperty({
    enum: ['mapping', 'alias', 'content', 'custom', 'skip'],
    description: 'Your mapping, a header alias, the values of the column, an unknown header (custom field), skipped',
    example: 'alias',
  })
  source: string;
  @ApiPropertyOptional({
    description: 'For detected columns: the evidence',
    example: "header alias 'E-mail 1 - Value'",
  })
  evidence?: string;
}

export class CsvInfoDto {
  @ApiProperty({ description: 'Data rows in the file (blank rows are not counted)', example: 200 }) totalRows: number;
  @ApiProperty({ type: [String], example: ['Email', 'First Name', 'Last Name', 'Company', 'Title', 'Industry'] })
  columns: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The decision for every column: a lead field, "fullName", "skip" or "custom:<Name>"',
    example: {
      Email: 'email',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Company: 'companyName',
      Title: 'jobTitle',
      Industry: 'custom:Industry',
    },
  })
  mapping: Record<string, string>;
  @ApiProperty({
    type: [MappingDetailDto],
    description: 'Why every column became what it did, in column order',
  })
  mappingDetails: MappingDetailDto[];
  @ApiProperty({ enum: [',', ';', '\t', '|'], example: ',' }) delimiter: CsvDelimiter;
  @ApiProperty({
    description: 'The encoding the file was read as (detected, or the `encoding` field)',
    example: 'utf-8',
  })
  encoding: string;
  @ApiProperty({
    description: "1 when certain (BOM, valid UTF-8, your `encoding`); the detector's score for a guess",
    example: 1,
  })
  encodingConfidence: number;
  @ApiProperty({ description: 'Line of the header row (below 1 when title or note lines sit above it)', example: 1 })
  headerLine: number;
  @ApiProperty({
    type: [String],
    description:
      'What you should know about how the file was read, e.g. characters the guessed encoding could not read',
    example: [],
  })
  warnings: string[];
  @ApiProperty({ type: [String], description: 'Keys of your mapping that name no column (ignored)', example: [] })
  unusedMapping: string[];
  @ApiProperty({ type: [RenamedColumnDto], description: 'Duplicate headers renamed "Name (2)", blank ones "Column N"' })
  renamedColumns: RenamedColumnDto[];
}

export class CleanupChangeDto {
  @ApiProperty({ description: 'A lead field or custom:<Name>', example: 'phone' }) field: string;
  @ApiProperty({ description: 'The value as written in the file', example: '(415) 555-2671' }) from: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'As stored; null if cleanup emptied it',
    example: '+14155552671',
  })
  to: string | null;
}

export class PreviewRowDto {
  @ApiProperty({ example: 1 }) row: number;
  @ApiProperty({ example: 2 }) line: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { email: 'jane@acme.com', firstName: 'Jane', phone: '+14155552671' },
  })
  fields: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { Industry: 'Retail' } })
  customFields: Record<string, string>;
  @ApiProperty({ type: [CleanupChangeDto] }) changes: CleanupChangeDto[];
}

export class SkippedReasonsDto {
  @ApiProperty({ description: 'Stored leads (skipDuplicates=true), left untouched', example: 10 }) existing: number;
  @ApiProperty({ description: 'Repeats of an earlier row of the file', example: 3 }) duplicateInFile: number;
  @ApiProperty({ description: 'Email or domain on the suppression list', example: 2 }) suppressed: number;
  @ApiProperty({
    description: 'skipDuplicates=false: stored leads that are unsubscribed, bounced, complained or do_not_contact',
    example: 0,
  })
  protected: number;
}

export class FlaggedDto {
  @ApiProperty({ description: 'Role addresses (info@, sales@, noreply@…) imported or updated', example: 4 })
  role: number;
  @ApiProperty({ description: 'Disposable mailbox domains imported or updated', example: 0 }) disposable: number;
  @ApiProperty({ description: 'Consumer mailbox providers (gmail.com, outlook.com…) imported or updated', example: 21 })
  free: number;
}

export class ImportWarningDto {
  @ApiProperty({ example: 7 }) row: number;
  @ApiProperty({ example: 8 }) line: number;
  @ApiProperty({ example: 'jane@gmial.com' }) email: string;
  @ApiProperty({ example: 'Possible typo: did you mean jane@gmail.com?' }) warning: string;
}

export class ImportResultDto {
  @ApiProperty({
    description: 'Id of the import record (GET /v1/leads/imports/{id})',
    example: '665d4e5f6a7b8c9d0e1f2a3c',
  })
  importId: string;
  @ApiProperty({ description: 'True for a preview (`dryRun=true`): nothing was written.', example: false })
  dryRun: boolean;
  @ApiProperty({ description: 'Leads created (a dry run: that would be created).', example: 180 }) imported: number;
  @ApiProperty({ example: 0 }) updated: number;
  @ApiProperty({ example: 15 }) skipped: number;
  @ApiProperty({ example: 5 }) failed: number;
  @ApiProperty({ type: SkippedReasonsDto, description: 'Why rows were skipped; the reasons add up to `skipped`.' })
  skippedReasons: SkippedReasonsDto;
  @ApiProperty({ type: FlaggedDto, description: 'Quality flags of the rows imported or updated.' })
  flagged: FlaggedDto;
  @ApiProperty({ type: [String], example: ['665d4e5f6a7b8c9d0e1f2a3b'] }) importedLeadIds: string[];
  @ApiProperty({ type: [ImportRowErrorDto], description: 'The first 1,000 failed rows, in row order.' })
  errors: ImportRowErrorDto[];
  @ApiProperty({
    description: 'All failed rows (= failed); past 1,000, see GET /v1/leads/imports/{id}/errors.',
    example: 5,
  })
  errorCount: number;
  @ApiProperty({ description: 'True when `errors` holds only the first 1,000 failed rows.', example: false })
  errorsTruncated: boolean;
  @ApiProperty({
    type: [ImportWarningDto],
    description: 'The first 1,000 rows written with a warning (likely typos in common domains), in row order.',
  })
  warnings: ImportWarningDto[];
  @ApiProperty({ description: 'All rows with a warning.', example: 0 }) warningCount: number;
  @ApiProperty({ description: 'True when `warnings` holds only the first 1,000.', example: false })
  warningsTruncated: boolean;
  @ApiProperty({ type: CsvInfoDto }) csvInfo: CsvInfoDto;
  @ApiPropertyOptional({
    type: [PreviewRowDto],
    description: 'Dry runs only: the first 10 rows as they would be stored, with what cleanup changed in each.',
  })
  preview?: PreviewRowDto[];
}
