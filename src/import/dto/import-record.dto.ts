import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ImportStatus } from '../history/import-record.entity';
import { WebhookDeliveryDto } from '../../webhooks/dto/webhook-delivery.dto';

export class ImportRowErrorDto {
  @ApiProperty({ description: '1-based data row (the header is not counted).', example: 7 }) row: number;
  @ApiProperty({ description: 'File line where the record starts.', example: 8 }) line: number;
  @ApiProperty({ example: 'not-an-email' }) email: string;
  @ApiProperty({ example: 'Invalid email format' }) error: string;
}

export class ImportSummaryOptionsDto {
  @ApiProperty() skipDuplicates: boolean;
  @ApiProperty() dataCleanup: boolean;
  @ApiProperty({ type: String, nullable: true }) tag: string | null;
}

export class ImportOptionsDto extends ImportSummaryOptionsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    description: 'The mapping sent, only its keys that named a column of the file.',
  })
  mapping: Record<string, string> | null;
  @ApiProperty({ description: 'How many keys of the mapping sent named no column (not kept).', example: 0 })
  unusedMapping: number;
  @ApiPropertyOptional({ description: 'Where the report is sent when the import ends (absent without one).' })
  webhookUrl?: string;
}

export class ImportSummaryDto {
  @ApiProperty({ example: '665d4e5f6a7b8c9d0e1f2a3b' }) id: string;
  @ApiProperty({
    enum: ['queued', 'processing', 'completed', 'previewed', 'failed', 'interrupted', 'undoing', 'undone'],
    description:
      '`queued`: an async import waiting for a worker (or handed back by a stopping one); `processing`: writing; ' +
      '`completed`; `previewed` (dryRun); `failed`; `interrupted` (a sync import whose server stopped); `undoing`, ' +
      '`undone`.',
  })
  status: ImportStatus;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'leads.csv' }) fileName: string | null;
  @ApiProperty({ example: 48213 }) fileBytes: number;
  @ApiProperty({ type: ImportSummaryOptionsDto, description: 'The mapping is on GET /v1/leads/imports/{id} only.' })
  options: ImportSummaryOptionsDto;
  @ApiProperty({ example: 200 }) totalRows: number;
  @ApiProperty({ example: 180 }) imported: number;
  @ApiProperty({ example: 0 }) updated: number;
  @ApiProperty({ example: 15 }) skipped: number;
  @ApiProperty({ example: 5 }) failed: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why the import failed or stopped, if it did.' })
  failureReason: string | null;
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({ type: Date, nullable: true }) finishedAt: Date | null;
}

export class ImportProgressDto {
  @ApiProperty({
    description: 'Data rows accounted for so far; moves at least once per batch of 1,000.',
    example: 3000,
  })
  rowsDone: number;
  @ApiProperty({ description: "The file's data rows (0 until an async import has read its file).", example: 20000 })
  totalRows: number;
}

export class ImportDetailDto extends ImportSummaryDto {
  @ApiProperty({ type: ImportProgressDto }) progress: ImportProgressDto;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'With `failed`: the error code. An async import that could not be read ends here with the code and message ' +
      '(`failureReason`) a sync call would have answered, e.g. `VALIDATION_ERROR`.',
    example: null,
  })
  errorCode: string | null;
  @ApiProperty({ type: ImportOptionsDto }) declare options: ImportOptionsDto;
  @ApiProperty({ type: [String] }) importedLeadIds: string[];
  @ApiProperty({ type: [ImportRowErrorDto], description: 'The first 1,000 failed rows, in row order.' })
  errors: ImportRowErrorDto[];
  @ApiProperty({ description: 'All failed rows; past 1,000 page them with GET …/imports/{id}/errors.', example: 5 })
  errorCount: number;
  @ApiProperty({ description: 'True when `errors` holds only the first 1,000 failed rows.', example: false })
  errorsTruncated: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When rows failed: a CSV of them as they were in the file, with Row, Line and Error columns first.',
    example: '/v1/leads/imports/665d4e5f6a7b8c9d0e1f2a3c/errors.csv',
  })
  errorFileUrl: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'As in the import response, except `unusedMapping`: a count here.',
  })
  csvInfo: object | null;
  @ApiProperty({
    type: WebhookDeliveryDto,
    nullable: true,
    description: 'The webhook sent to `options.webhookUrl` when the import ended; null without one (or before).',
  })
  webhook: WebhookDeliveryDto | null;
}

export class ImportPageDto {
  @ApiProperty({ type: [ImportSummaryDto] }) imports: ImportSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ImportErrorPageDto {
  @ApiProperty({ type: [ImportRowErrorDto] }) errors: ImportRowErrorDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: number | null;
}
