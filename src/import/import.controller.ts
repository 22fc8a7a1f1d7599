import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../auth/auth-context';
import { CurrentAuth, CurrentWorkspace } from '../auth/current-workspace.decorator';
import { ApiEnvelope, ApiErrors, PAGE_QUERY_ERRORS } from '../common/swagger';
import { CsvUploadInterceptor } from './upload/csv-upload.interceptor';
import { ImportCsvForm, parseImportForm, wantsAsync } from './dto/import-csv.form';
import { AsyncImportAcceptedDto } from './dto/async-import-accepted.dto';
import { AsyncImports } from './queue/async-imports';
import { ImportDetailDto, ImportErrorPageDto, ImportPageDto } from './dto/import-record.dto';
import { ListImportErrorsQuery } from './dto/list-import-errors.query';
import { ImportResultDto } from './dto/import-result.dto';
import { ListImportsQuery } from './dto/list-imports.query';
import { ImportSlotsInterceptor } from './upload/import-slots';
import { IdempotencyGate, IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { ImportService } from './import.service';
import { IMPORT_CSV_DESCRIPTION, TOO_MANY_COLUMNS_EXAMPLE } from './import-csv.docs';
import { UndoResultDto } from './dto/undo-result.dto';
import { ImportHistory } from './history/import-history.service';
import { ImportUndoService } from './undo/import-undo.service';
import { ImportThrottle } from './upload/import-throttle';
import { WebhookTargets } from '../webhooks/webhook-url';

@ApiTags('import')
@Controller('v1/leads')
export class ImportController {
  constructor(
    private readonly importer: ImportService,
    private readonly imports: ImportHistory,
    private readonly undoer: ImportUndoService,
    private readonly webhookTargets: WebhookTargets,
    private readonly asyncImports: AsyncImports,
  ) {}

  @Post('import/csv')
  @HttpCode(200)
  @ImportThrottle()
  // In this order: a key still running answers 409 before a slot is taken; the key is claimed once the file is read.
  @UseInterceptors(IdempotencyGate, ImportSlotsInterceptor, CsvUploadInterceptor, IdempotencyInterceptor)
  @ApiOperation({
    summary: 'Import leads from CSV',
    description: IMPORT_CSV_DESCRIPTION,
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes a retry safe: 1 to 255 printable ASCII characters, unique per import (a UUID is a good choice). Kept ' +
      'for 24 hours per workspace; see "Retries" above.',
    // No example: Swagger UI would fill it in and send one key with every import.
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportCsvForm })
  @ApiEnvelope(ImportResultDto)
  @ApiEnvelope(
    AsyncImportAcceptedDto,
    202,
    'With `async=true` or `Prefer: respond-async`: the file is stored and queued; `Location` is the `statusUrl`.',
  )
  @ApiErrors(
    {
      400: [
        ['No file', 'CSV file is required. Send as multipart/form-data with field name "file".'],
        ['Empty file', 'CSV file is empty'],
        ['Too many rows', 'Maximum 50,000 leads per CSV file'],
        ['Too many columns', TOO_MANY_COLUMNS_EXAMPLE],
        [
          'Header too large',
          'The header row (line 1) is larger than 256 KB. Make sure the file starts with a row of column names (not ' +
            'data) and shorten long names, then upload it again.',
        ],
        [
          'No email column',
          'No email column detected. Provide a "mapping" field or ensure your CSV has an "email" column.',
        ],
        ['Bad mapping', 'Invalid mapping JSON'],
        ['Bad boolean', 'skipDuplicates must be true or false (1/0 and yes/no are accepted too).'],
        [
          'Bad Idempotency-Key',
          'Idempotency-Key must be 1 to 255 printable ASCII characters (letters, digits, punctuation, spaces), such ' +
            'as a UUID; it has 300 characters. Leave the header out to import without one.',
        ],
        [
          'Too many custom fields',
          'This file would add 600 new custom fields (columns not mapped to a lead field); the workspace has 0 of at ' +
            'most 500. Map those columns to lead fields, or to "skip", in "mapping", or remove them from the file.',
        ],
        [
          'Webhook to a private address',
          'webhookUrl points to 10.0.0.5 (its host "hooks.internal" resolves to it), a private address. Webhooks go ' +
            'only to http(s) URLs whose host is a public address (not private, loopback, link-local, unique-local, ' +
            'multicast or unspecified).',
        ],
        [
          'Not a CSV',
          'The file is not a CSV text file (it looks like an Excel .xlsx workbook). Export it as CSV and upload that.',
        ],
      ],
      408: [
        [
          'Upload stalled',
          'No part of the upload arrived for 15 s. Send the file again on a faster or steadier connection.',
        ],
      ],
      409: [
        [
          'Key still running',
          'The first request with this Idempotency-Key is still running. Retry after 5 s to get its result.',
        ],
      ],
      413: [['File too large', 'CSV file is larger than 50 MB. Split it into smaller files.']],
      422: [
        [
          'Key reused',
          'This Idempotency-Key was already used with a different file or different options. Use a new key for a ' +
            'new import (any unique string, such as a UUID); send the same file and options to get the first ' +
            'result again.',
        ],
      ],
      429: [
        ['Workspace busy', 'This workspace is running 2 imports already. Try again in 5 seconds.'],
        ['Import rate limit', 'Rate limit of 30 requests per 60 s reached for this API key. Retry after 17 s.'],
      ],
      500: [
        [
          'Import failed midway',
          'Import 6b0912c54843868768f9157b stopped: The import failed after 2000 of 5000 rows were written. Batches ' +
            'already written stay written (2000 imported, 0 updated). Send the same file again to finish: rows ' +
            'already imported are then skipped (or updated with skipDuplicates=false), so nothing is duplicated.',
        ],
      ],
      503: [
        [
          'Database lost',
          'Import 6b0912c54843868768f9157b stopped: The database connection was lost after 2000 of 5000 rows were ' +
            'written. Batches already written stay written (2000 imported, 0 updated). Send the same file again to ' +
            'finish: rows already imported are then skipped (or updated with skipDuplicates=false), so nothing is ' +
            'duplicated.',
        ],
        ['Shutting down', 'The server is shutting down. Send the import again.'],
        ['Redis unreachable', 'The rate-limit store (Redis) is unreachable. Try again in 5 seconds.'],
      ],
    },
    401,
    403,
    429,
    500,
  )
  async importCsv(
    @CurrentAuth() auth: AuthContext,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<ImportResultDto | AsyncImportAcceptedDto> {
    const form = parseImportForm(body);
    await this.webhookTargets.assertAllowed(form.webhookUrl);
    if (!wantsAsync(body, request.get('prefer'))) return this.importer.importCsv(auth, request.file!, form);
    const accepted = await this.asyncImports.submit(auth, request.file!, form);
    response.status(202).setHeader('Location', accepted.statusUrl);
    return accepted;
  }

  @Get('imports')
  @ApiOperation({ summary: 'List CSV imports, newest first' })
  @ApiEnvelope(ImportPageDto)
  @ApiErrors(PAGE_QUERY_ERRORS, 401, 403, 429)
  list(@CurrentWorkspace() workspaceId: string, @Query() query: ListImportsQuery): Promise<ImportPageDto> {
    return this.imports.list(workspaceId, query);
  }

  @Post('imports/:id/undo')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Undo an import',
    description:
      'Deletes the leads the import created, puts back the values it replaced in the leads it updated, and removes ' +
      'its tag from leads that did not have it. A lead changed or deleted since the import is kept as it is and ' +
      'listed in `conflicts`. Possible for IMPORT_UNDO_DAYS (default 30) days; the import becomes `undone`.',
  })
  @ApiEnvelope(UndoResultDto)
  @ApiErrors(
    {
      400: [['A preview', 'This import was a preview (dryRun=true): it wrote nothing to undo.']],
      404: [['No such import', 'Import "665d4e5f6a7b8c9d0e1f2a3b" not found in this workspace.']],
      409: [
        ['Still running', 'Import is still running'],
        ['Being undone', 'Import is being undone'],
        ['Already undone', 'Import was already undone'],
      ],
      410: [['Too old', 'Imports can be undone for 30 days; this one is older.']],
    },
    401,
    403,
    429,
  )
  undo(@CurrentWorkspace() workspaceId: string, @Param('id') id: string): Promise<UndoResultDto> {
    return this.undoer.undo(workspaceId, id);
  }

  @Get('imports/:id/errors.csv')
  @ApiOperation({
    summary: "An import's error file",
    description:
      'The failed rows exactly as they were in the uploaded file (its header and cells, in UTF-8 with a BOM), after ' +
      'three columns Row, Line and Error: fix the cells and upload the file again as it is. A cell that begins with ' +
      "=, +, -, @, a tab or a carriage return is written with a leading ' so that spreadsheets do not run it.",
  })
  @ApiOkResponse({
    description: 'The CSV file (an attachment).',
    content: { 'text/csv': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(
    {
      400: [['A preview', 'A preview (dryRun=true) keeps no rows: import the file to get its error file.']],
      404: [['No such import', 'Import "665d4e5f6a7b8c9d0e1f2a3b" not found in this workspace.']],
    },
    401,
    403,
    429,
  )
  async errorFile(@CurrentWorkspace() workspaceId: string, @Param('id') id: string): Promise<StreamableFile> {
    const { fileName, content } = await this.imports.errorFile(workspaceId, id);
    return new StreamableFile(content, {
      type: 'text/csv; charset=utf-8',
      disposition: contentDisposition(fileName),
    });
  }

  @Get('imports/:id/errors')
  @ApiOperation({ summary: "An import's failed rows, in row order, a page at a time" })
  @ApiEnvelope(ImportErrorPageDto)
  @ApiErrors(
    {
      400: [
        ['Bad limit', 'limit must be an integer from 1 to 1000'],
        ['Bad cursor', 'cursor must be the nextCursor value of a previous page'],
      ],
      404: [['No such import', 'Import "665d4e5f6a7b8c9d0e1f2a3b" not found in this workspace.']],
    },
    401,
    403,
    429,
  )
  errors(
    @CurrentWorkspace() workspaceId: string,
    @Param('id') id: string,
    @Query() query: ListImportErrorsQuery,
  ): Promise<ImportErrorPageDto> {
    return this.imports.errors(workspaceId, id, query);
  }

  @Get('imports/:id')
  @ApiOperation({ summary: 'One CSV import with its full report' })
  @ApiEnvelope(ImportDetailDto)
  @ApiErrors(
    { 404: [['No such import', 'Import "6b0912c54843868768f9157b" not found in this workspace.']] },
    401,
    403,
    429,
  )
  get(@CurrentWorkspace() workspaceId: string, @Param('id') id: string): Promise<ImportDetailDto> {
    return this.imports.get(workspaceId, id);
  }
}

/** An attachment's header: a plain ASCII name for old clients, the exact name in UTF-8 (RFC 6266) for the rest. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
