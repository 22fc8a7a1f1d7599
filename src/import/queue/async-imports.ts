/**
 * Async imports: accepting one (its record and upload stored in one transaction, then queued), running a queued one
 * (the one place where a job starts), and at start-up queuing the imports a stopped process left.
 */
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { AuthContext } from '../../auth/auth-context';
import { ErrorCode } from '../../common/app-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ImportMetrics } from '../../metrics/import-metrics';
import { ImportFormValues } from '../dto/import-csv.form';
import { StaleImportSweeper } from '../history/stale-import-sweeper';
import { ImportService, UploadedCsv } from '../import.service';
import { MappingDetector } from '../mapping/mapping-detector';
import { Transactions } from '../write/transactions';
import { AsyncImportRecords } from './async-import-records';
import { ImportQueue } from './import-queue';
import { ImportUploads } from './import-uploads';
import { every } from '../../common/every';

export interface AsyncImportAccepted {
  importId: string;
  status: 'queued';
  statusUrl: string;
}

@Injectable()
export class AsyncImports implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AsyncImports.name);
  private stopRecovery?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: ImportQueue,
    private readonly importer: ImportService,
    private readonly records: AsyncImportRecords,
    private readonly uploads: ImportUploads,
    private readonly sweeper: StaleImportSweeper,
    private readonly detector: MappingDetector,
    private readonly transactions: Transactions,
    private readonly metrics: ImportMetrics,
  ) {}

  /**
   * Stores the import durably (record and file together) and queues it. Only checks that need no row are made here
   * (the form was parsed by the caller, the mapping JSON is parsed now): the rest end in the record.
   */
  async submit(auth: AuthContext, upload: UploadedCsv, form: ImportFormValues): Promise<AsyncImportAccepted> {
    const mapping = this.detector.parseMapping(form.mapping) ?? null;
    const importId = await this.transactions.run(async (manager) => {
      const id = await this.records.enqueue(
        manager,
        {
          workspaceId: auth.workspaceId,
          apiKeyId: auth.apiKeyId,
          fileName: upload.originalname,
          fileBytes: upload.size,
          form,
        },
        mapping,
      );
      await this.uploads.store(manager, id, upload.buffer);
      return id;
    });
    // Stored: if queuing fails now, the start-up (or periodic) recovery queues it.
    await this.queue.add(importId).catch((error: unknown) => {
      this.logger.error({ err: error, importId }, 'Could not queue an async import; recovery will');
    });
    return { importId, status: 'queued', statusUrl: `/v1/leads/imports/${importId}` };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start((importId, stop) => this.run(importId, stop), this.config.import.maxConcurrent);
    await this.recover();
    if (this.queue.shared) {
      this.stopRecovery = every(this.config.import.staleAfterMs, () => void this.recover());
    }
  }

  /** SIGTERM: no new job; the running ones finish their current batches and go back to the queue. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopRecovery?.();
    await this.queue.stop();
  }

  /**
   * The one place where a queued import starts running (on any replica).
   */
  private async run(importId: string, stop: AbortSignal): Promise<void> {
    const record = await this.records.findById(importId);
    if (!record) return;
    if (!record.form || !['queued', 'processing'].includes(record.status)) {
      // It ended, but its process stopped before dropping the file.
      await this.uploads.delete(importId);
      return;
    }
    // Queued since it was accepted, or since a stopping replica handed it back.
    if (record.status === 'queued') this.metrics.queueWait((Date.now() - record.updatedAt.getTime()) / 1000);
    const file = await this.uploads.load(importId);
    if (!file) {
      const message = 'The uploaded file of this import is gone. Send the file again.';
      await this.records.failBeforeRows(importId, ErrorCode.INTERNAL_ERROR, message);
      return;
    }
    await this.importer.runStored(record, file, record.form, stop);
    // Ended (completed or failed): the file is not needed any more.
    await this.uploads.delete(importId);
  }

  /**
   * Queues the async imports a stopped process left. With a shared queue only stale ones (a live replica keeps its
   * imports fresh; a job still in Redis makes the add a no-op); in-process, every one, as only this process runs them.
   */
  private async recover(): Promise<void> {
    try {
      const ids = await this.sweeper.unfinishedAsync(this.queue.shared ? this.config.import.staleAfterMs : undefined);
      for (const id of ids) await this.queue.add(id);
      if (ids.length > 0) this.logger.log(`Queued ${ids.length} unfinished async import(s)`);
    } catch (error) {
      this.logger.error({ err: error }, 'Could not look for unfinished async imports');
    }
  }
}
