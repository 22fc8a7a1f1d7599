import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthContext } from '../auth/auth-context';
import { AppError, ErrorCode } from '../common/app-error';
import { newId } from '../common/object-id';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { LeadRow, LeadsRepository, toDatabaseDate } from '../leads/leads.repository';
import { TagsService } from '../leads/tags.service';
import { BatchesStoppedError, BatchFailedError, BatchRunner } from './batch-runner';
import { PendingRow, readAhead, readAheadDepth, RowBatch, withRowsToWrite } from './candidate-batches';
import { ImportResultDto } from './dto/import-result.dto';
import { ImportFormValues } from './dto/import-csv.form';
import { ImportsService } from './imports.service';
import { plainRecord } from './file-preparation';
import { MappingDetector } from './mapping-detector';
import { AcceptedLead } from './normalizer';
import { PreparationPool, PreparedImport } from './preparation-pool';
import { ImportRowError } from './import-record.entity';

const EMPTY = Buffer.alloc(0);

export interface UploadedCsv {
  buffer: Buffer;
  originalname: string;
  size: number;
}

interface BatchResult {
  importedIds: string[];
  updated: number;
  skipped: number;
  /** Rows that failed only when cleaned (a value over a length limit). */
  errors: ImportRowError[];
}

/**
 * The CSV import, start to finish: read → map → clean → de-duplicate in the file → write in
 * batches → report. Every data row ends as exactly one of imported, updated, skipped or failed.
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger(ImportService.name);
  /** Imports writing in this process, each settled once it has answered (for shutdown). */
  private readonly running = new Map<string, Promise<void>>();
  /** Aborted at shutdown once SHUTDOWN_TIMEOUT_MS has run out: running imports start no new batch. */
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly detector: MappingDetector,
    private readonly preparer: PreparationPool,
    private readonly batches: BatchRunner,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly leads: LeadsRepository,
    private readonly tags: TagsService,
    private readonly customFields: CustomFieldsService,
    private readonly records: ImportsService,
  ) {}

  async importCsv(auth: AuthContext, file: UploadedCsv, form: ImportFormValues): Promise<ImportResultDto> {
    const started = performance.now();
    const userMapping = this.detector.parseMapping(form.mapping);
    const buffer = file.buffer;
    // The upload goes to the preparation (or is read into records): let the largest object of the request go.
    file.buffer = EMPTY;
    const prepared = await this.preparer.open(buffer, {
      maxRows: this.config.import.maxRows,
      mapping: userMapping && Object.entries(userMapping),
      cleanup: form.dataCleanup,
      batchSize: this.config.import.batchSize,
    });
    try {
      return await this.write(auth, file, form, userMapping, prepared, started);
    } finally {
      prepared.close();
    }
  }

  private async write(
    auth: AuthContext,
    file: UploadedCsv,
    form: ImportFormValues,
    userMapping: Record<string, string> | undefined,
    prepared: PreparedImport,
    started: number,
  ): Promise<ImportResultDto> {
    const readMs = Math.round(performance.now() - started);
    const csvInfo = {
      totalRows: prepared.file.totalRows,
      columns: prepared.file.headers,
      mapping: plainRecord(prepared.file.mapping),
      delimiter: prepared.file.delimiter,
      encoding: prepared.file.encoding,
      unusedMapping: prepared.file.unusedMapping,
      renamedColumns: prepared.file.renamedColumns,
    };
    /** Rows that failed before writing (unreadable records, invalid or missing emails) and in-file repeats. */
    const rows = { errors: [] as ImportRowError[], duplicates: 0 };
    const take = async (): Promise<RowBatch | undefined> => {
      const taken = await prepared.take();
      rows.errors.push(...taken.errors);
      rows.duplicates += taken.duplicates;
      if (taken.rows.length === 0) return undefined;
      const pending = taken.rows.map(({ row, line, identity }) => new PendingRow(row, line, identity, newId()));
      return { number: taken.number, rows: pending };
    };

    await this.customFields.assertRoomFor(auth.workspaceId, prepared.file.customNames);
    const importId = await this.records.start({
      workspaceId: auth.workspaceId,
      apiKeyId: auth.apiKeyId,
      fileName: file.originalname,
      fileBytes: file.size,
      options: { ...form, mapping: userMapping ?? null },
      totalRows: csvInfo.totalRows,
      unusedMapping: csvInfo.unusedMapping,
    });
    const written = {
      imported: 0,
      updated: 0,
      skipped: 0,
      importedLeadIds: [] as string[],
      errors: [] as ImportRowError[],
    };
    const report = (): ImportResultDto => ({
      importId,
      imported: written.imported,
      updated: written.updated,
      skipped: written.skipped + rows.duplicates,
      failed: rows.errors.length + written.errors.length,
      importedLeadIds: written.importedLeadIds,
      errors: [...rows.errors, ...written.errors].sort((a, b) => a.row - b.row),
      csvInfo,
    });

    let settle!: () => void;
    this.running.set(importId, new Promise<void>((resolve) => (settle = resolve)));
    const stopHeartbeat = this.records.heartbeat(importId, report, this.config.import.staleAfterMs / 6);
    try {
      const canonicalNames = await this.customFields.register(auth.workspaceId, prepared.file.customNames);
      const tagId = form.tag ? await this.tags.ensure(auth.workspaceId, form.tag) : null;
      const options = { skipDuplicates: form.skipDuplicates, tagId, customNames: canonicalNames };
      // Into an empty workspace nothing can be skipped, except what a concurrent import adds meanwhile:
      // that collides on insert and is handled by the batch's retry.
      const lookUp =
        form.skipDuplicates && (await this.leads.workspaceHasLeads(this.dataSource.manager, auth.workspaceId));
      const batches = readAhead(
        take,
        (batch) => this.cleanAhead(auth.workspaceId, prepared, batch, form, lookUp),
        readAheadDepth(file.size, csvInfo.totalRows, this.config.import.batchSize),
      );
      await this.batches.run(
        withRowsToWrite(batches, (batch) => (written.skipped += batch.rows.length)),
        (manager, batch, attempt) => this.writeBatch(manager, auth.workspaceId, batch, attempt, options),
        (result) => {
          written.importedLeadIds.push(...result.importedIds);
          written.imported += result.importedIds.length;
          written.updated += result.updated;
          written.skipped += result.skipped;
          written.errors.push(...result.errors);
        },
        this.stopping.signal,
      );
      await this.records.complete(importId, report());
      const { imported, updated, skipped, failed } = report();
      const totalMs = Math.round(performance.now() - started);
      this.logger.log(
        { importId, rows: csvInfo.totalRows, imported, updated, skipped, failed, readMs, totalMs },
        'Import completed',
      );
    } catch (error) {
      if (error instanceof BatchesStoppedError) throw await this.interrupted(importId, report());
      throw await this.failed(importId, report(), error);
    } finally {
      stopHeartbeat();
      this.running.delete(importId);
      settle();
    }
    return report();
  }

  /**
   * On shutdown, for imports that did not finish in time: no new batch starts, the batches in flight
   * commit, and each import records itself interrupted with exactly what it wrote and answers 503.
   */
  async interruptRunning(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.running.values());
  }

  private async interrupted(importId: string, report: ImportResultDto): Promise<AppError> {
    const reason =
      `The server shut down after ${report.imported + report.updated} rows of this import were written. ` +
      'Send the same file again to finish it.';
    await this.records.interrupt(importId, report, reason).catch((error: unknown) => {
      this.logger.error({ err: error, importId }, 'Could not mark the import interrupted');
    });
    return new AppError(ErrorCode.SERVICE_UNAVAILABLE, `Import ${importId} stopped: ${reason}`, {
      'Retry-After': '5',
    });
  }

  /**
   * Before a batch's transaction: with skipDuplicates, reads which of its emails the workspace has (if it had any
   * lead when the import started), then has the other rows cleaned (all of them for updates).
   */
  private async cleanAhead(
    workspaceId: string,
    prepared: PreparedImport,
    batch: RowBatch,
    form: ImportFormValues,
    lookUp: boolean,
  ): Promise<void> {
    let known = new Set<string>();
    if (form.skipDuplicates) {
      const identities = batch.rows.map((row) => row.identity);
      if (lookUp) known = await this.leads.existingKeys(this.dataSource.manager, workspaceId, identities);
      batch.known = known;
    }
    const cleaned = await prepared.clean(batch.number, known);
    let next = 0;
    for (const row of batch.rows) if (!known.has(row.identity)) row.cleaned = cleaned[next++];
  }

  /**
   * One batch, inside its transaction: insert the rows with new emails, update (or skip) those with
   * stored ones, tag them. Skips use what cleanAhead read; if an insert then collides with a concurrent
   * import, the retry (attempt > 1) reads again inside the transaction and skips what it finds as well
   * (rows the workspace had when the batch was cleaned stay skipped: they were not cleaned).
   */
  private async writeBatch(
    manager: EntityManager,
    workspaceId: string,
    batch: RowBatch,
    attempt: number,
    options: { skipDuplicates: boolean; tagId: string | null; customNames: Map<string, string> },
  ): Promise<BatchResult> {
    const identities = batch.rows.map((row) => row.identity);
    let known: Set<string> = new Set();
    let stored = new Map<string, string>();
    if (options.skipDuplicates) {
      known = batch.known ?? known;
      if (attempt > 1)
        known = new Set([...known, ...(await this.leads.existingKeys(manager, workspaceId, identities))]);
    } else {
      stored = await this.leads.lockExisting(manager, workspaceId, identities);
    }
    await this.batches.heavyStep();
    // Sorted identities make concurrent batches take their row locks in the same order: fewer deadlocks.
    const sorted = batch.rows
      .filter((row) => !known.has(row.identity))
      .sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
    const now = toDatabaseDate(new Date());
    const inserts: LeadRow[] = [];
    const updates: LeadRow[] = [];
    const errors: ImportRowError[] = [];
    for (const pending of sorted) {
      const lead = pending.cleaned;
      if (!lead) throw new Error(`Row ${pending.row} of the batch was not cleaned`);
      if (!lead.ok) {
        errors.push(pending.errorOf(lead));
        continue;
      }
      const storedId = stored.get(pending.identity);
      const row = toLeadRow(storedId ?? pending.id, lead, options.customNames);
      if (storedId) updates.push(row);
      else inserts.push(row);
    }
    await this.leads.insert(manager, workspaceId, inserts, now);
    await this.leads.update(manager, workspaceId, updates, now);
    if (options.tagId) {
      const tagged = [...inserts, ...updates].map((lead) => lead.id);
      await this.leads.tag(manager, workspaceId, options.tagId, tagged);
    }
    const inserted = new Set(inserts.map((lead) => lead.id));
    return {
      importedIds: batch.rows.filter((row) => inserted.has(row.id)).map((row) => row.id),
      updated: updates.length,
      skipped: batch.rows.length - sorted.length,
      errors,
    };
  }

  /** Marks the import failed with what was written, and builds the error the client gets. */
  private async failed(importId: string, report: ImportResultDto, error: unknown): Promise<AppError> {
    const cause = error instanceof BatchFailedError ? error.cause : error;
    this.logger.error({ err: cause, importId }, 'Import failed');
    const written = report.imported + report.updated;
    const reason = isConnectionError(cause)
      ? `The database connection was lost after ${written} of ${report.csvInfo.totalRows} rows were written.`
      : `The import failed after ${written} of ${report.csvInfo.totalRows} rows were written.`;
    await this.records.fail(importId, report, reason).catch((recordError: unknown) => {
      this.logger.error({ err: recordError, importId }, 'Could not mark the import failed');
    });
    return new AppError(
      isConnectionError(cause) ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_ERROR,
      `Import ${importId} stopped: ${reason} Batches already written stay written (${report.imported} imported, ` +
        `${report.updated} updated). Send the same file again to finish: rows already imported are then skipped ` +
        '(or updated with skipDuplicates=false), so nothing is duplicated.',
    );
  }
}

/**
 * The row to write. It shares the cleaned fields (the repository reads them by column, email apart) and builds the
 * custom fields with a loop into a prototype-less object, so a field named `__proto__` is just a key: half the time
 * of copying the fields and `Object.fromEntries`.
 */
function toLeadRow(id: string, lead: AcceptedLead, customNames: Map<string, string>): LeadRow {
  const customFields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of lead.custom) customFields[customNames.get(name) ?? name] = value;
  return { id, email: lead.fields.email!, emailKey: lead.identity, fields: lead.fields, customFields };
}

const CONNECTION_ERRORS = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
]);

function isConnectionError(error: unknown): boolean {
  const driverError = (error as { driverError?: unknown })?.driverError ?? error;
  const code = (driverError as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_ERRORS.has(code);
}
