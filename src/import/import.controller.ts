import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../auth/auth-context';
import { CurrentAuth, CurrentWorkspace } from '../auth/current-workspace.decorator';
import { ApiEnvelope, ApiErrors } from '../common/swagger';
import { CsvUploadInterceptor } from './upload/csv-upload.interceptor';
import { ImportCsvForm, parseImportForm } from './dto/import-csv.form';
import { ImportDetailDto, ImportErrorPageDto, ImportPageDto } from './dto/import-record.dto';
import { ListImportErrorsQuery } from './dto/list-import-errors.query';
import { ImportResultDto } from './dto/import-result.dto';
import { ListImportsQuery } from './dto/list-imports.query';
import { ImportSlotsInterceptor } from './upload/import-slots';
import { ImportService } from './import.service';
import { UndoResultDto } from './dto/undo-result.dto';
import { ImportHistory } from './history/import-history.service';
import { ImportUndoService } from './undo/import-undo.service';
import { ImportThrottle } from './upload/import-throttle';

@ApiTags('import')
@Controller('v1/leads')
export class ImportController {
  constructor(
    private readonly importer: ImportService,
    private readonly imports: ImportHistory,
    private readonly undoer: ImportUndoService,
  ) {}

  @Post('import/csv')
  @HttpCode(200)
  @ImportThrottle()
  @UseInterceptors(ImportSlotsInterceptor, CsvUploadInterceptor)
  @ApiOperation({
    summary: 'Import leads from CSV',
    description:
      'Upload a CSV file to bulk import leads: column mappings are auto-detected (or given in `mapping`), data is ' +
      'cleaned (`dataCleanup`), duplicates are skipped or updated by email (`skipDuplicates`), unrecognized ' +
      'columns become custom fields. At most 50,000 rows and 50 MB per file; written in batches of 1,000 with up ' +
      'to 10 batches at once. `imported + updated + skipped + failed = csvInfo.totalRows`. See docs/import.md.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportCsvForm })
  @ApiEnvelope(ImportResultDto)
  @ApiErrors(400, 401, 403, 413, 429, 500, 503)
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
  @ApiErrors(400, 401, 403, 429)
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
  @ApiErrors(400, 401, 403, 404, 409, 410, 429)
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
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file (an attachment).', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(401, 403, 404, 429)
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
  @ApiErrors(400, 401, 403, 404, 429)
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
  @ApiErrors(401, 403, 404, 429)
  get(@CurrentWorkspace() workspaceId: string, @Param('id') id: string): Promise<ImportDetailDto> {
    return this.imports.get(workspaceId, id);
  }
}

/** An attachment's header: a plain ASCII name for old clients, the exact name in UTF-8 (RFC 6266) for the rest. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
