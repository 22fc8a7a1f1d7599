/** The import history: one record per import, read by the API and moved along by the import as it runs. */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { NotFoundError, ValidationError } from '../../common/app-error';
import { isObjectId, newId } from '../../common/object-id';
import { DEFAULT_PAGE_SIZE } from '../../leads/leads.service';
import { ImportDetailDto, ImportErrorPageDto, ImportPageDto, ImportSummaryDto } from '../dto/import-record.dto';
import { ListImportErrorsQuery } from '../dto/list-import-errors.query';
import { ListImportsQuery } from '../dto/list-imports.query';
import { ImportWebhooks } from '../webhooks/import-webhooks';
import { errorFileCsv } from './error-file';
import { ImportBatches } from './import-batches';
import { ImportOptions, ImportProgress, ImportRecord, ImportStatus, NOTHING_WRITTEN } from './import-record.entity';

/** Failed rows a report carries; the rest are paged by GET /v1/leads/imports/:id/errors. */
export const REPORTED_ERRORS = 1_000;
const DEFAULT_ERRORS_PAGE = 1_000;

/** What an import did, as its record keeps it (row errors and lead ids are kept per batch, see ImportBatches). */
export interface ImportOutcome {
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  csvInfo: { totalRows?: number };
}

/** The `imports` records: one per import, from processing to completed, failed or interrupted. */
@Injectable()
export class ImportHistory {
  constructor(
    @InjectRepository(ImportRecord) private readonly imports: Repository<ImportRecord>,
    @InjectRepository(ImportProgress) private readonly progressRows: Repository<ImportProgress>,
    private readonly batches: ImportBatches,
    private readonly webhooks: ImportWebhooks,
  ) {}

  async list(workspaceId: string, query: ListImportsQuery): Promise<ImportPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.imports.find({
      select: SUMMARY_COLUMNS,
      where: { workspaceId, ...(query.cursor ? { id: LessThan(query.cursor) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      imports: page.map(toSummary),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  /**
   * Opens the record of an import that is about to write; returns its id. `unusedMapping` lists the mapping's keys
   * that named no column: they are counted, not kept, so a record stays as small as the file's own columns.
   */
  async start({
    unusedMapping = [],
    ...values
  }: {
    workspaceId: string;
    apiKeyId: string;
    fileName: string;
    fileBytes: number;
    options: ImportOptions;
    totalRows: number;
    fileHeader?: string[];
    unusedMapping?: string[];
  }): Promise<string> {
    const now = new Date();
    const id = newId();
    await this.imports.insert({
      ...values,
      options: keptOptions(values.options, unusedMapping),
      id,
      fileName: values.fileName.slice(0, 255) || null,
      fileHeader: values.fileHeader ?? null,
      status: 'processing',
      mode: 'sync',
      form: null,
      ...NOTHING_WRITTEN,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  }

  /** Rows accounted for by the committed batches so far. */
  async progress(id: string, rowsDone: number): Promise<void> {
    await this.progressRows.upsert({ importId: id, rowsDone }, ['importId']);
  }

  complete(id: string, report: ImportOutcome, dryRun = false): Promise<void> {
    return this.finish(id, dryRun ? 'previewed' : 'completed', report, null);
  }

  /** Marks an import failed, unless shutdown already marked it interrupted. */
  fail(id: string, report: ImportOutcome, reason: string, errorCode: string | null = null): Promise<void> {
    return this.finish(id, 'failed', report, reason, errorCode);
  }

  interrupt(id: string, report: ImportOutcome, reason: string): Promise<void> {
    return this.finish(id, 'interrupted', report, reason);
  }

  private async finish(
    id: string,
    status: ImportStatus,
    report: ImportOutcome,
    reason: string | null,
    errorCode: string | null = null,
  ) {
    const now = new Date();
    // A completed import is the truth; failed or interrupted only replaces processing.
    const finished = status === 'completed' || status === 'previewed';
    const result = await this.imports.update(finished ? { id } : { id, status: 'processing' }, {
      status,
      totalRows: report.csvInfo.totalRows,
      imported: report.imported,
      updated: report.updated,
      skipped: report.skipped,
      failed: report.failed,
      csvInfo: keptCsvInfo(report.csvInfo),
      failureReason: reason,
      errorCode,
      form: null,
      updatedAt: now,
      finishedAt: now,
    });
    await this.progressRows.delete({ importId: id });
    if (result.affected) await this.webhooks.importEnded(id);
  }

  async get(workspaceId: string, id: string): Promise<ImportDetailDto> {
    const record = await this.find(workspaceId, id);
    // A running import's batches are ahead of its record: count what they committed.
    const running = record.status === 'processing' || record.status === 'queued';
    const counts = running ? await this.batches.totals(id) : {};
    const progressed = running ? ((await this.progressRows.findOneBy({ importId: id }))?.rowsDone ?? 0) : 0;
    const { imported = 0, updated = 0, skipped = 0, failed = 0 } = { ...record, ...counts };
    const errorCount = await this.batches.errorCount(id);
    return {
      ...toSummary({ ...record, ...counts }),
      // A running import's batches that wrote nothing are logged only at its end: its progress row counts them.
      progress: { rowsDone: Math.max(progressed, imported + updated + skipped + failed), totalRows: record.totalRows },
      errorCode: record.errorCode,
      options: { ...record.options, unusedMapping: record.options.unusedMapping ?? 0 },
      importedLeadIds: await this.batches.importedLeadIds(id),
      errors: await this.batches.errors(id, 0, REPORTED_ERRORS),
      errorCount,
      errorsTruncated: errorCount > REPORTED_ERRORS,
      // A preview keeps no row data, so it has no error file.
      errorFileUrl: errorCount > 0 && record.status !== 'previewed' ? `/v1/leads/imports/${id}/errors.csv` : null,
      csvInfo: record.csvInfo,
      webhook: await this.webhooks.delivery(workspaceId, id),
    };
  }

  /** The import's failed rows in row order, a page at a time. */
  async errors(workspaceId: string, id: string, query: ListImportErrorsQuery): Promise<ImportErrorPageDto> {
    await this.find(workspaceId, id);
    const limit = query.limit ?? DEFAULT_ERRORS_PAGE;
    const errors = await this.batches.errors(id, query.cursor ?? 0, limit + 1);
    const page = errors.slice(0, limit);
    return { errors: page, nextCursor: errors.length > limit ? page[page.length - 1].row : null };
  }

  /** The error file of an import: its failed rows as they were in the file, to fix and upload again. */
  async errorFile(workspaceId: string, id: string): Promise<{ fileName: string; content: Buffer }> {
    const record = await this.find(workspaceId, id);
    if (record.status === 'previewed') {
      throw new ValidationError('A preview (dryRun=true) keeps no rows: import the file to get its error file.');
    }
    const rows = await this.batches.failedRows(id);
    const base = (record.fileName ?? 'import').replace(/\.(csv|tsv|txt)$/i, '');
    return { fileName: `${base}-errors.csv`, content: errorFileCsv(record.fileHeader ?? [], rows) };
  }

  private async find(workspaceId: string, id: string): Promise<ImportRecord> {
    const record = isObjectId(id) ? await this.imports.findOneBy({ id, workspaceId }) : null;
    if (!record) throw new NotFoundError(`Import "${id}" not found in this workspace.`);
    return record;
  }
}

const SUMMARY_COLUMNS = {
  id: true,
  status: true,
  fileName: true,
  fileBytes: true,
  options: true,
  totalRows: true,
  imported: true,
  updated: true,
  skipped: true,
  failed: true,
  failureReason: true,
  createdAt: true,
  finishedAt: true,
} as const;

export function keptOptions(options: ImportOptions, unusedMapping: string[]): ImportOptions {
  if (!options.mapping) return { ...options, unusedMapping: 0 };
  const unused = new Set(unusedMapping);
  const mapping = Object.create(null) as Record<string, string>;
  for (const [key, target] of Object.entries(options.mapping)) if (!unused.has(key)) mapping[key] = target;
  return { ...options, mapping, unusedMapping: unused.size };
}

/** The response's csvInfo, with the mapping keys that named no column counted rather than listed. */
function keptCsvInfo<T extends object>(csvInfo: T): T {
  const { unusedMapping } = csvInfo as { unusedMapping?: unknown };
  return Array.isArray(unusedMapping) ? { ...csvInfo, unusedMapping: unusedMapping.length } : csvInfo;
}

/** A list entry: counts and options, never a per-import payload (mapping, errors, ids: GET /v1/leads/imports/:id). */
function toSummary(record: ImportRecord): ImportSummaryDto {
  const { id, status, fileName, fileBytes, totalRows, imported, updated, skipped, failed } = record;
  const { skipDuplicates, dataCleanup, tag } = record.options;
  return {
    id,
    status,
    fileName,
    fileBytes,
    options: { skipDuplicates, dataCleanup, tag },
    totalRows,
    imported,
    updated,
    skipped,
    failed,
    failureReason: record.failureReason,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
  };
}
