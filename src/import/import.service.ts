/**
 * The CSV import, start to finish, in one direction: open the file → decide the mapping → open the import's record →
 * stream the pipeline's batches into the BatchRunner → report. Every data row ends as exactly one of imported,
 * updated, skipped or failed.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CountryCode } from 'libphonenumber-js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthContext } from '../auth/auth-context';
import { AppError, ErrorCode } from '../common/app-error';
import { isConnectionLost } from '../common/database-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { ImportMetrics } from '../metrics/import-metrics';
import { LeadsRepository } from '../leads/leads.repository';
import { TagsService } from '../leads/tags.service';
import { SuppressionsRepository } from '../suppressions/suppressions.repository';
import { CsvFile, CsvReader } from './csv/csv-reader';
import { ImportFormValues } from './dto/import-csv.form';
import { ImportResultDto } from './dto/import-result.dto';
import { ImportBatches } from './history/import-batches';
import { ImportHistory } from './history/import-history.service';
import type { ImportRecord } from './history/import-record.entity';
import { StaleImportSweeper } from './history/stale-import-sweeper';
import { newCustomColumns, phoneRegion } from './file-hints';
import { buildReport, rowCounts, rowsOf } from './import-report';
import type { ColumnMapping } from './mapping/column-mapping';
import { withErrorFileColumnsSkipped } from './mapping/error-file-columns';
import { MappingDetector } from './mapping/mapping-detector';
import { ImportPipeline, PipelinePlan } from './pipeline/import-pipeline';
import type { BatchOutcome } from './pipeline/lead-batch';
import { AsyncImportRecords } from './queue/async-import-records';
import { ImportHandedBackError } from './queue/import-queue';
import { BatchesStoppedError, BatchFailedError, BatchRunner } from './write/batch-runner';

const COMPLETE_ATTEMPTS = 3;

interface OpenedFile {
  file: CsvFile;
  columns: ColumnMapping;
  userMapping: Record<string, string> | undefined;
}

export interface UploadedCsv {
  buffer: Buffer;
  originalname: string;
  size: number;
}

@Injectable()
export class ImportService {
  private readonly logger = new Logger(ImportService.name);
  /** Imports writing in this process, each settled once it has answered (for shutdown). */
  private readonly running = new Set<Promise<unknown>>();
  /** Aborted at shutdown once SHUTDOWN_TIMEOUT_MS has run out: running imports start no new batch. */
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reader: CsvReader,
    private readonly detector: MappingDetector,
    private readonly pipeline: ImportPipeline,
    private readonly runner: BatchRunner,
    private readonly history: ImportHistory,
    private readonly asyncRecords: AsyncImportRecords,
    private readonly batchLog: ImportBatches,
    private readonly sweeper: StaleImportSweeper,
    private readonly tags: TagsService,
    private readonly customFields: CustomFieldsService,
    private readonly leads: LeadsRepository,
    private readonly suppressions: SuppressionsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: ImportMetrics,
  ) {}

  /** @throws ValidationError (400) for a file or mapping that cannot be imported at all; nothing is written then. */
  async importCsv(auth: AuthContext, upload: UploadedCsv, form: ImportFormValues): Promise<ImportResultDto> {
    const started = performance.now();
    const opened = await this.open(auth.workspaceId, upload.buffer, form);
    const importId = await this.history.start({
      workspaceId: auth.workspaceId,
      apiKeyId: auth.apiKeyId,
      fileName: upload.originalname,
      fileBytes: upload.size,
      ...recordedFile(opened, form),
    });
    return this.execute(importId, auth.workspaceId, form, opened, { stop: this.stopping.signal, started });
  }

  /**
   * Runs a stored (async) import from its record, resuming after the batches it already committed. Resolves once
   * the import ended (completed or failed, its record says which); rejects with ImportHandedBackError when `stop`
   * stopped it between batches (its record is `queued` again).
   */
  async runStored(record: ImportRecord, file: Buffer, form: ImportFormValues, stop: AbortSignal): Promise<void> {
    const started = performance.now();
    let opened: OpenedFile;
    try {
      opened = await this.open(record.workspaceId, file, form);
    } catch (error) {
      if (!(error instanceof AppError) || Number(error.status) >= 500) throw error;
      // What a sync call would have answered at once, kept in the record.
      await this.asyncRecords.failBeforeRows(record.id, error.code, error.message);
      return;
    }
    await this.asyncRecords.begin(record.id, recordedFile(opened, form));
    const resumed = await this.batchLog.committedOutcomes(record.id);
    try {
      await this.execute(record.id, record.workspaceId, form, opened, { stop, started, resumed });
    } catch (error) {
      // A failure is in the record by now, as the sync call's is; only a hand-back is the caller's business.
      if (error instanceof ImportHandedBackError) throw error;
    }
  }

  /** Reads the file's head and decides the mapping: every 400 an import can give before writing is thrown here. */
  private async open(workspaceId: string, buffer: Buffer, form: ImportFormValues): Promise<OpenedFile> {
    const userMapping = this.detector.parseMapping(form.mapping);
    const file = await this.reader.open(buffer, { maxRows: this.config.import.maxRows, encoding: form.encoding });
    const mapping = withErrorFileColumnsSkipped(file.headers, userMapping);
    const columns = this.detector.detect(file.headers, mapping, file.firstRows);
    await this.customFields.assertRoomFor(workspaceId, newCustomColumns(file, columns));
    return { file, columns, userMapping };
  }

  /**
   * Writes the import whose record is open, after the `resumed` batches (already committed), and closes its record
   * (ImportHistory's `finish`, where every import ends, sends its webhook).
   */
  private async execute(
    importId: string,
    workspaceId: string,
    form: ImportFormValues,
    { file, columns }: OpenedFile,
    run: { stop: AbortSignal; started: number; resumed?: BatchOutcome[] },
  ): Promise<ImportResultDto> {
    const outcomes: BatchOutcome[] = [...(run.resumed ?? [])];
    const report = () => buildReport(importId, file, columns, columns.unusedMapping, outcomes, form.dryRun);
    const stopHeartbeat = this.sweeper.heartbeat(importId, report);
    // Metrics count this run's own rows: a resumed import's earlier batches were counted by the run that wrote them.
    const measured = this.metrics.started(run.resumed ? 'async' : 'sync');
    const ownRows = () => rowCounts(outcomes.slice(run.resumed?.length ?? 0));
    const writing = this.write(importId, workspaceId, form, file, columns, outcomes, run.stop);
    this.running.add(writing);
    try {
      await writing;
      await this.batchLog.recordUnlogged(importId, outcomes);
      const result = report();
      await this.completeRecord(importId, result, form.dryRun);
      measured(form.dryRun ? 'previewed' : 'completed', ownRows());
      const { imported, updated, skipped, failed } = result;
      const totalMs = Math.round(performance.now() - run.started);
      this.logger.log(
        { importId, rows: file.totalRows, imported, updated, skipped, failed, totalMs },
        'Import completed',
      );
      return result;
    } catch (error) {
      await this.batchLog.recordUnlogged(importId, outcomes).catch((logError: unknown) => {
        this.logger.error({ err: logError, importId }, 'Could not log the batches that wrote nothing');
      });
      measured(error instanceof BatchesStoppedError ? 'interrupted' : 'failed', ownRows());
      if (error instanceof BatchesStoppedError && run.resumed) {
        await this.asyncRecords.requeue(importId);
        throw new ImportHandedBackError(importId);
      }
      if (error instanceof BatchesStoppedError) throw await this.interrupted(importId, report());
      throw await this.failed(importId, report(), error);
    } finally {
      stopHeartbeat();
      this.running.delete(writing);
    }
  }

  /** Streams the file's batches into the runner; `outcomes` receives each batch's outcome once it is committed. */
  private async write(
    importId: string,
    workspaceId: string,
    form: ImportFormValues,
    file: CsvFile,
    columns: ColumnMapping,
    outcomes: BatchOutcome[],
    stop: AbortSignal,
  ): Promise<void> {
    const plan = await this.plan(importId, workspaceId, form, phoneRegion(form, file, columns));
    plan.committedBatches = new Set(outcomes.map((outcome) => outcome.number));
    const batches = this.pipeline.batches(file, columns, plan);
    let rowsDone = outcomes.reduce((rows, outcome) => rows + rowsOf(outcome), 0);
    for await (const outcome of this.runner.run(batches, plan, stop)) {
      outcomes.push(outcome);
      rowsDone += rowsOf(outcome);
      // Progress for GET /v1/leads/imports/:id: a missed update is harmless, the next batch's corrects it.
      await this.history.progress(importId, rowsDone).catch(() => undefined);
    }
  }

  /**
   * Every batch is written and logged by now, so a database hiccup while closing the record must not turn the import
   * into an error: retried, and if it still fails the client gets its report (the sweep later closes the record with
   * the batches' exact counts).
   */
  private async completeRecord(importId: string, result: ImportResultDto, dryRun: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.history.complete(importId, result, dryRun);
      } catch (error) {
        if (attempt === COMPLETE_ATTEMPTS) {
          this.logger.error({ err: error, importId }, 'Could not mark the import completed');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** attempt));
      }
    }
  }

  /**
   * On shutdown, for imports that did not finish in time: no new batch starts, the batches in flight commit, and each
   * import records itself interrupted with exactly what it wrote and answers 503.
   */
  async interruptRunning(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled(this.running);
  }

  private async plan(
    importId: string,
    workspaceId: string,
    form: ImportFormValues,
    defaultRegion: CountryCode | undefined,
  ): Promise<PipelinePlan> {
    // A dry run creates nothing, not even the tag.
    const tagId = form.tag && !form.dryRun ? await this.tags.ensure(workspaceId, form.tag) : null;
    // Into an empty workspace nothing can be skipped, except what a concurrent import adds meanwhile: that collides
    // on insert and is handled by the batch's retry.
    const manager = this.dataSource.manager;
    const lookUpExisting = form.skipDuplicates && (await this.leads.workspaceHasLeads(manager, workspaceId));
    // Likewise, a workspace without a suppression list has nothing to check each batch against.
    const lookUpSuppressed = await this.suppressions.workspaceHasAny(manager, workspaceId);
    return {
      importId,
      workspaceId,
      cleanup: form.dataCleanup,
      normalize: { defaultRegion },
      skipDuplicates: form.skipDuplicates,
      lookUpExisting,
      lookUpSuppressed,
      tagId,
      customNames: new Map(),
      dryRun: form.dryRun,
      rejectRoleAddresses: form.rejectRoleAddresses,
      rejectDisposable: form.rejectDisposable,
      keepLedger: !form.dryRun && this.config.import.undoDays > 0,
    };
  }

  private async interrupted(importId: string, report: ImportResultDto): Promise<AppError> {
    const reason =
      `The server shut down after ${report.imported + report.updated} rows of this import were written. ` +
      'Send the same file again to finish it.';
    await this.history.interrupt(importId, report, reason).catch((error: unknown) => {
      this.logger.error({ err: error, importId }, 'Could not mark the import interrupted');
    });
    return new AppError(ErrorCode.SERVICE_UNAVAILABLE, `Import ${importId} stopped: ${reason}`, {
      'Retry-After': '5',
    });
  }

  /** Marks the import failed with what was written, and builds the error the client gets. */
  private async failed(importId: string, report: ImportResultDto, error: unknown): Promise<AppError> {
    const cause = error instanceof BatchFailedError ? error.cause : error;
    this.logger.error({ err: cause, importId }, 'Import failed');
    const written = report.imported + report.updated;
    const connectionLost = isConnectionLost(cause);
    const reason = connectionLost
      ? `The database connection was lost after ${written} of ${report.csvInfo.totalRows} rows were written.`
      : `The import failed after ${written} of ${report.csvInfo.totalRows} rows were written.`;
    const code = connectionLost ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
    await this.history.fail(importId, report, reason, code).catch((recordError: unknown) => {
      this.logger.error({ err: recordError, importId }, 'Could not mark the import failed');
    });
    return new AppError(
      code,
      `Import ${importId} stopped: ${reason} Batches already written stay written (${report.imported} imported, ` +
        `${report.updated} updated). Send the same file again to finish: rows already imported are then skipped ` +
        '(or updated with skipDuplicates=false), so nothing is duplicated.',
    );
  }
}

/** What an import's record keeps of its opened file and form, sync or async. */
function recordedFile({ file, columns, userMapping }: OpenedFile, form: ImportFormValues) {
  return {
    options: { ...form, mapping: userMapping ?? null },
    totalRows: file.totalRows,
    fileHeader: file.headerCells,
    unusedMapping: columns.unusedMapping,
  };
}
