import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../auth/auth-context';
import { CurrentAuth, CurrentWorkspace } from '../auth/current-workspace.decorator';
import { ImportThrottle } from '../common/api-key-throttler.guard';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { CsvUploadInterceptor } from './csv-upload.interceptor';
import { ImportCsvForm, parseImportForm } from './dto/import-csv.form';
import { ImportDetailDto, ImportPageDto } from './dto/import-record.dto';
import { ImportResultDto } from './dto/import-result.dto';
import { ListImportsQuery } from './dto/list-imports.query';
import { ImportSlotsInterceptor } from './import-slots';
import { ImportService } from './import.service';
import { ImportsService } from './imports.service';

@ApiTags('import')
@Controller('v1/leads')
export class ImportController {
  constructor(
    private readonly importer: ImportService,
    private readonly imports: ImportsService,
  ) {}

  @Post('import/csv')
  @HttpCode(200)
  @ImportThrottle()
  @UseInterceptors(ImportSlotsInterceptor, CsvUploadInterceptor)
  @ApiOperation({
    summary: 'Import leads from CSV',
    description: [
      "Upload a CSV file (`multipart/form-data`, field `file`) to bulk import leads into the key's workspace. The " +
        'answer accounts for every data row: `imported + updated + skipped + failed = csvInfo.totalRows`; each ' +
        'failed row is in `errors` as `{row, line, email, error}` (`row` counts data rows from 1, `line` is the ' +
        'file line). The report is also kept: `GET /v1/leads/imports/{id}`.',
      '',
      '**Limits**: at most 50 MB (else 413) and 50,000 data rows (else 400, nothing written). Rows are written in ' +
        'batches of 1,000, each one transaction, up to 10 at once (one at a time on SQLite). If the database fails ' +
        'midway, written batches stay; send the same file again to finish without duplicates.',
      '',
      '**Reading**: UTF-8 (BOM removed), UTF-16 (Excel "Unicode Text") or Windows-1252; delimiter `,` `;` tab or ' +
        '`|` (detected; an Excel `sep=;` line is obeyed); LF, CRLF or CR line ends; RFC 4180 quotes. The header is ' +
        'the first non-blank record; a repeated header is renamed `Email (2)` and listed in `csvInfo.renamedColumns`. ' +
        'Blank rows are not counted. Spreadsheets (.xlsx, .xls) and other binary files are refused: export as CSV.',
      '',
      '**Mapping** columns to the lead fields `email, firstName, lastName, companyName, jobTitle, phone, ' +
        'linkedinUrl, website, city, state, country, timezone, notes` (and `fullName`, split into first and last):',
      '1. The `mapping` field wins for the columns it names: a JSON object of CSV header → lead field, `"skip"`, or ' +
        '`"custom:<Name>"`, e.g. `{"E-mail": "email", "Org": "companyName", "Source": "skip"}`. Keys that name no ' +
        'column are listed in `csvInfo.unusedMapping`.',
      '2. Other columns are auto-detected by header, ignoring case, spaces and punctuation, with the spellings of ' +
        'Apollo, LinkedIn, HubSpot, Salesforce, Google Contacts, Outlook and other exports ("E-mail Address", ' +
        '"Work Email", "Person Linkedin Url", "Job Title"…). Company columns (`Company City`…) never fill the ' +
        "person's fields; one column per field, the best match.",
      '3. Every other column becomes a custom field `custom:<Header>`, registered in the workspace.',
      '4. No column ends as `email` → 400. `csvInfo.mapping` shows the final decision for every column.',
      '',
      '**Cleanup** (`dataCleanup`, default true): emails trimmed, lower-cased, `mailto:` and `Name <…>` removed, ' +
        'then validated (`Email is required` / `Invalid email format` fail the row: nothing else does, apart from ' +
        "a value over its length limit); phones to E.164 with the row's country as default region; LinkedIn URLs " +
        'to `https://www.linkedin.com/in/<slug>`; websites to `https://host/path`; names trimmed, symbols and ' +
        'digits removed, ALL-CAPS to Title Case; other text trimmed with control and zero-width characters ' +
        'removed (notes keep line breaks). With `false` values are stored as given, but the email must be valid.',
      '',
      '**Duplicates**: a lead is its email (trimmed, lower-cased) per workspace. A repeat inside the file is ' +
        '`skipped`. An email the workspace has: `skipDuplicates=true` (default) skips it untouched; `false` ' +
        'updates it: non-empty cells overwrite, empty cells never erase, custom fields merge. `tag` is linked to ' +
        'every imported and updated lead.',
      '',
      'Booleans accept true/false, 1/0, yes/no. Any other form field is a 400 that names it.',
    ].join('\n'),
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportCsvForm })
  @ApiEnvelope(ImportResultDto)
  @ApiErrors(
    {
      400: [
        ['No file', 'CSV file is required. Send as multipart/form-data with field name "file".'],
        ['Empty file', 'CSV file is empty'],
        ['Too many rows', 'Maximum 50,000 leads per CSV file'],
        [
          'No email column',
          'No email column detected. Provide a "mapping" field or ensure your CSV has an "email" column.',
        ],
        ['Bad mapping', 'Invalid mapping JSON'],
        ['Bad boolean', 'skipDuplicates must be true or false (1/0 and yes/no are accepted too).'],
        [
          'Not a CSV',
          'The file is not a CSV text file (it looks like an Excel .xlsx workbook). Export it as CSV and upload that.',
        ],
      ],
      413: [['File too large', 'CSV file is larger than 50 MB. Split it into smaller files.']],
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
      ],
    },
    401,
    403,
    429,
    500,
  )
  importCsv(
    @CurrentAuth() auth: AuthContext,
    @Req() request: Request,
    @Body() body: Record<string, unknown>,
  ): Promise<ImportResultDto> {
    return this.importer.importCsv(auth, request.file!, parseImportForm(body));
  }

  @Get('imports')
  @ApiOperation({ summary: 'List CSV imports, newest first' })
  @ApiEnvelope(ImportPageDto)
  @ApiErrors(
    {
      400: [
        ['Bad page size', 'limit must be an integer from 1 to 200'],
        ['Bad cursor', 'cursor must be the nextCursor value of a previous page'],
      ],
    },
    401,
    403,
    429,
  )
  list(@CurrentWorkspace() workspaceId: string, @Query() query: ListImportsQuery): Promise<ImportPageDto> {
    return this.imports.list(workspaceId, query);
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
