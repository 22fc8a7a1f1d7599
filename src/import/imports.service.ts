import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { NotFoundError } from '../common/app-error';
import { isObjectId, newId } from '../common/object-id';
import { DEFAULT_PAGE_SIZE } from '../leads/leads.service';
import { ImportDetailDto, ImportPageDto, ImportSummaryDto } from './dto/import-record.dto';
import { ListImportsQuery } from './dto/list-imports.query';
import { ImportOptions, ImportRecord, ImportRowError, ImportStatus } from './import-record.entity';

/** What an import did, as its record keeps it. */
export interface ImportOutcome {
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  importedLeadIds: string[];
  errors: ImportRowError[];
  csvInfo: object;
}

/** The `imports` records: one per import, from processing to completed or failed. */
@Injectable()
export class ImportsService {
  constructor(@InjectRepository(ImportRecord) private readonly imports: Repository<ImportRecord>) {}

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
    unusedMapping?: string[];
  }): Promise<string> {
    const now = new Date();
    const id = newId();
    await this.imports.insert({
      ...values,
      options: keptOptions(values.options, unusedMapping),
      id,
      fileName: values.fileName.slice(0, 255) || null,
      status: 'processing',
      imported: 0,
      updated: 0,
      skipped: 0,
      failed: 0,
      csvInfo: null,
      errors: [],
      importedLeadIds: [],
      failureReason: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    });
    return id;
  }

  complete(id: string, report: ImportOutcome): Promise<void> {
    return this.finish(id, 'completed', report, null);
  }

  /** Marks an import failed, unless shutdown already marked it interrupted. */
  fail(id: string, report: ImportOutcome, reason: string): Promise<void> {
    return this.finish(id, 'failed', report, reason);
  }

  interrupt(id: string, report: ImportOutcome, reason: string): Promise<void> {
    return this.finish(id, 'interrupted', report, reason);
  }

  /**
   * Touches a running import's record every `intervalMs` with its progress, so that a record left
   * `processing` by a dead process is recognisable (see markStaleInterrupted). Returns the stopper.
   */
  heartbeat(id: string, progress: () => ImportOutcome, intervalMs: number): () => void {
    const timer = setInterval(() => {
      const { imported, updated, skipped, failed } = progress();
      this.imports
        .update({ id, status: 'processing' }, { imported, updated, skipped, failed, updatedAt: new Date() })
        .catch(() => undefined); // a missed beat is harmless; the import's own writes report real failures
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Imports still `processing` but untouched for `staleAfterMs` lost their process: mark them interrupted.
   * A plain read finds them and each is updated by its primary key, as every other write of a record is: an
   * UPDATE through the status index would lock index entries before rows (InnoDB, repeatable read) and
   * deadlock with a running import's `complete`, which locks its row first.
   */
  async markStaleInterrupted(staleAfterMs: number): Promise<number> {
    const now = new Date();
    const updatedAt = LessThan(new Date(now.getTime() - staleAfterMs));
    const stale = await this.imports.find({ select: { id: true }, where: { status: 'processing', updatedAt } });
    let marked = 0;
    for (const { id } of stale) {
      const result = await this.imports.update(
        { id, status: 'processing', updatedAt },
        {
          status: 'interrupted',
          failureReason:
            'The server stopped during this import. Batches written before that stay written; ' +
            'send the same file again to finish it.',
          updatedAt: now,
          finishedAt: now,
        },
      );
      marked += result.affected ?? 0;
    }
    return marked;
  }

  private async finish(id: string, status: ImportStatus, report: ImportOutcome, reason: string | null) {
    const now = new Date();
    // A completed import is the truth; failed or interrupted only replaces processing.
    await this.imports.update(status === 'completed' ? { id } : { id, status: 'processing' }, {
      status,
      imported: report.imported,
      updated: report.updated,
      skipped: report.skipped,
      failed: report.failed,
      csvInfo: keptCsvInfo(report.csvInfo),
      errors: report.errors,
      importedLeadIds: report.importedLeadIds,
      failureReason: reason,
      updatedAt: now,
      finishedAt: now,
    });
  }

  async get(workspaceId: string, id: string): Promise<ImportDetailDto> {
    const record = isObjectId(id) ? await this.imports.findOneBy({ id, workspaceId }) : null;
    if (!record) throw new NotFoundError(`Import "${id}" not found in this workspace.`);
    return {
      ...toSummary(record),
      options: { ...record.options, unusedMapping: record.options.unusedMapping ?? 0 },
      importedLeadIds: record.importedLeadIds,
      errors: record.errors,
      csvInfo: record.csvInfo,
    };
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

function keptOptions(options: ImportOptions, unusedMapping: string[]): ImportOptions {
  if (!options.mapping) return { ...options, unusedMapping: 0 };
  const unused = new Set(unusedMapping);
  const mapping = Object.create(null) as Record<string, string>;
  for (const [key, target] of Object.entries(options.mapping)) if (!unused.has(key)) mapping[key] = target;
  return { ...options, mapping, unusedMapping: unused.size };
}

/** The response's csvInfo, with the mapping keys that named no column counted rather than listed. */
function keptCsvInfo(csvInfo: object): object {
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
