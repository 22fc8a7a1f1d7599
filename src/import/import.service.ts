import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthContext } from '../auth/auth-context';
import { AppError, ErrorCode } from '../common/app-error';
import { newId } from '../common/object-id';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { LeadRow, LeadsRepository, StoredLead, toDatabaseDate } from '../leads/leads.repository';
import { TagsService } from '../leads/tags.service';
import { BatchFailedError, BatchRunner } from './batch-runner';
import { CsvReader, CsvTable } from './csv-reader';
import { ImportResultDto } from './dto/import-result.dto';
import { ImportFormValues } from './dto/import-csv.form';
import { ImportOptions, ImportRowError } from './import-record.entity';
import { ImportOutcome, ImportsService } from './imports.service';
import { ColumnMapping, MappingDetector } from './mapping-detector';
import { AcceptedLead, Normalizer, RawLead } from './normalizer';

export interface UploadedCsv {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/** A row that passed reading and cleaning and is the first of its email in the file. */
interface Candidate extends AcceptedLead {
  row: number;
  /** The id it gets if it is inserted; made in file order, so ids (and listings) follow the file. */
  id: string;
}

interface BatchResult {
  importedIds: string[];
  updated: number;
  skipped: number;
}

/**
 * The CSV import, start to finish: read → map → clean → de-duplicate in the file → write in
 * batches → report. Every data row ends as exactly one of imported, updated, skipped or failed.
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger(ImportService.name);
  /** Imports writing in this process, with their live reports (for shutdown). */
  private readonly running = new Map<string, ImportOutcome>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reader: CsvReader,
    private readonly detector: MappingDetector,
    private readonly normalizer: Normalizer,
    private readonly batches: BatchRunner,
    private readonly leads: LeadsRepository,
    private readonly tags: TagsService,
    private readonly customFields: CustomFieldsService,
    private readonly records: ImportsService,
  ) {}

  async importCsv(auth: AuthContext, file: UploadedCsv, form: ImportFormValues): Promise<ImportResultDto> {
    const userMapping = this.detector.parseMapping(form.mapping);
    const table = await this.reader.read(file.buffer, { maxRows: this.config.import.maxRows });
    const columns = this.detector.detect(table.headers, userMapping);
    const csvInfo = {
      totalRows: table.records.length,
      columns: table.headers,
      mapping: columns.mapping,
      delimiter: table.delimiter,
      encoding: table.encoding,
      unusedMapping: columns.unusedMapping,
      renamedColumns: table.renamedHeaders,
    };
    const { candidates, errors, duplicatesInFile } = this.prepare(table, columns, form.dataCleanup);

    const options: ImportOptions = {
      skipDuplicates: form.skipDuplicates,
      dataCleanup: form.dataCleanup,
      tag: form.tag,
      mapping: userMapping ?? null,
    };
    const importId = await this.records.start({
      workspaceId: auth.workspaceId,
      apiKeyId: auth.apiKeyId,
      fileName: file.originalname,
      fileBytes: file.size,
      options,
      totalRows: table.records.length,
    });
    const report = {
      importId,
      imported: 0,
      updated: 0,
      skipped: duplicatesInFile,
      failed: errors.length,
      importedLeadIds: [] as string[],
      errors,
      csvInfo,
    };

    this.running.set(importId, report);
    const stopHeartbeat = this.records.heartbeat(importId, () => report, this.config.import.staleAfterMs / 6);
    try {
      await this.write(auth.workspaceId, candidates, form, (result) => {
        report.importedLeadIds.push(...result.importedIds);
        report.imported += result.importedIds.length;
        report.updated += result.updated;
        report.skipped += result.skipped;
      });
      await this.records.complete(importId, report);
    } catch (error) {
      throw await this.failed(importId, report, candidates.length, error);
    } finally {
      stopHeartbeat();
      this.running.delete(importId);
    }
    return report;
  }

  /** On shutdown: imports that did not finish in time are recorded as interrupted, with what they wrote. */
  async interruptRunning(): Promise<void> {
    for (const [importId, report] of this.running) {
      const reason =
        `The server shut down after ${report.imported + report.updated} rows of this import were written. ` +
        'Send the same file again to finish it.';
      await this.records.interrupt(importId, report, reason).catch((error: unknown) => {
        this.logger.error({ err: error, importId }, 'Could not mark the import interrupted');
      });
    }
  }

  /** Reads every record into a candidate, a row error or an in-file duplicate. */
  private prepare(table: CsvTable, columns: ColumnMapping, cleanup: boolean) {
    const emailColumn = columns.targets.indexOf('email');
    const errors: ImportRowError[] = [];
    const candidates: Candidate[] = [];
    const seen = new Set<string>();
    let duplicatesInFile = 0;

    for (const record of table.records) {
      if (record.error !== undefined) {
        const email = (record.values[emailColumn] ?? '').trim().slice(0, 254);
        errors.push({ row: record.row, line: record.line, email, error: record.error });
        continue;
      }
      const lead = this.normalizer.normalize(toRawLead(record.values, columns), cleanup);
      if (!lead.ok) {
        errors.push({ row: record.row, line: record.line, email: lead.email, error: lead.error });
      } else if (seen.has(lead.identity)) {
        duplicatesInFile++; // the first row of an email wins
      } else {
        seen.add(lead.identity);
        candidates.push({ ...lead, row: record.row, id: newId() });
      }
    }
    return { candidates, errors, duplicatesInFile };
  }

  private async write(
    workspaceId: string,
    candidates: Candidate[],
    form: ImportFormValues,
    onCommitted: (result: BatchResult) => void,
  ): Promise<void> {
    const usedCustomNames = new Set<string>();
    for (const lead of candidates) for (const [name] of lead.custom) usedCustomNames.add(name);
    const customNames = await this.customFields.register(workspaceId, [...usedCustomNames]);
    const tagId = form.tag ? await this.tags.ensure(workspaceId, form.tag) : null;

    const { batchSize } = this.config.import;
    const batches: Candidate[][] = [];
    for (let i = 0; i < candidates.length; i += batchSize) batches.push(candidates.slice(i, i + batchSize));

    await this.batches.run(
      batches,
      (manager, batch) => this.writeBatch(manager, workspaceId, batch, { ...form, tagId, customNames }),
      onCommitted,
    );
  }

  /** One batch, inside its transaction: find what exists, insert the new, update or skip the rest, tag. */
  private async writeBatch(
    manager: EntityManager,
    workspaceId: string,
    batch: Candidate[],
    options: { skipDuplicates: boolean; tagId: string | null; customNames: Map<string, string> },
  ): Promise<BatchResult> {
    // Sorted identities lock rows in the same order in every concurrent batch: fewer deadlocks.
    const sorted = [...batch].sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
    const existing = await this.leads.findByEmailKeys(
      manager,
      workspaceId,
      sorted.map((c) => c.identity),
      { withFields: !options.skipDuplicates, lockForUpdate: !options.skipDuplicates },
    );
    const stored = new Map(existing.map((lead) => [lead.emailKey, lead]));
    const now = toDatabaseDate(new Date());
    const inserts: LeadRow[] = [];
    const updates: StoredLead[] = [];
    for (const candidate of sorted) {
      const row = toLeadRow(candidate, options.customNames);
      const current = stored.get(candidate.identity);
      if (!current) inserts.push(row);
      else if (!options.skipDuplicates) updates.push(merge(current, row));
    }
    await this.leads.insert(manager, workspaceId, inserts, now);
    await this.leads.update(manager, workspaceId, updates, now);
    if (options.tagId) {
      const tagged = [...inserts, ...updates].map((lead) => lead.id);
      await this.leads.tag(manager, workspaceId, options.tagId, tagged);
    }
    const inserted = new Set(inserts.map((lead) => lead.id));
    return {
      importedIds: batch.filter((c) => inserted.has(c.id)).map((c) => c.id),
      updated: updates.length,
      skipped: options.skipDuplicates ? existing.length : 0,
    };
  }

  /** Marks the import failed with what was written, and builds the error the client gets. */
  private async failed(importId: string, report: ImportOutcome, candidates: number, error: unknown): Promise<AppError> {
    const cause = error instanceof BatchFailedError ? error.cause : error;
    this.logger.error({ err: cause, importId }, 'Import failed');
    const written = report.imported + report.updated;
    const reason = `The database failed after ${written} of ${candidates} rows were written.`;
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

function toRawLead(values: string[], columns: ColumnMapping): RawLead {
  const fields: RawLead['fields'] = {};
  const custom: Array<[string, string]> = [];
  columns.targets.forEach((target, index) => {
    const value = values[index] ?? '';
    if (target === 'skip') return;
    if (target.startsWith('custom:')) custom.push([target.slice('custom:'.length), value]);
    else fields[target as keyof RawLead['fields']] = value;
  });
  return { fields, custom };
}

function toLeadRow(lead: Candidate, customNames: Map<string, string>): LeadRow {
  const { email, ...fields } = lead.fields;
  return {
    id: lead.id,
    email: email!,
    emailKey: lead.identity,
    fields,
    customFields: Object.fromEntries(lead.custom.map(([name, value]) => [customNames.get(name) ?? name, value])),
  };
}

/** Non-empty cells overwrite; empty ones never erase; custom fields merge key by key. */
function merge(current: StoredLead, incoming: LeadRow): StoredLead {
  const fields = { ...current.fields };
  for (const [field, value] of Object.entries(incoming.fields) as Array<[keyof LeadRow['fields'], string]>) {
    if (value) fields[field] = value;
  }
  return {
    ...current,
    email: incoming.email,
    fields,
    customFields: { ...current.customFields, ...incoming.customFields },
  };
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
