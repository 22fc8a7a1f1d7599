/**
 * Imports left `processing` by a process that died: a running import keeps its record fresh, and a sweep (at start-up
 * and every IMPORT_STALE_AFTER_MS) marks records that went stale as interrupted, and drops undo ledgers past their
 * retention.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ImportWebhooks } from '../webhooks/import-webhooks';
import { ImportLedgerEntry } from './import-batch.entity';
import { ImportBatches } from './import-batches';
import { ImportRecord } from './import-record.entity';
import { every } from '../../common/every';

export type ImportCounts = Pick<ImportRecord, 'imported' | 'updated' | 'skipped' | 'failed'>;

@Injectable()
export class StaleImportSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StaleImportSweeper.name);
  private stopSweeping?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(ImportRecord) private readonly imports: Repository<ImportRecord>,
    private readonly batches: ImportBatches,
    @InjectRepository(ImportLedgerEntry) private readonly ledger: Repository<ImportLedgerEntry>,
    private readonly webhooks: ImportWebhooks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.stopSweeping = every(this.config.import.staleAfterMs, () => void this.sweep());
  }

  onApplicationShutdown(): void {
    this.stopSweeping?.();
  }

  /**
   * Writes a running import's progress to its record every staleAfterMs / 6, so that a record left `processing` by a
   * dead process is recognisable (and says roughly how far it got). Returns the stopper.
   */
  heartbeat(id: string, progress: () => ImportCounts): () => void {
    return every(this.config.import.staleAfterMs / 6, () => {
      const { imported, updated, skipped, failed } = progress();
      this.imports
        .update({ id, status: 'processing' }, { imported, updated, skipped, failed, updatedAt: new Date() })
        .catch(() => undefined); // a missed beat is harmless; the import's own writes report real failures
    });
  }

  /**
   * Async imports waiting (`queued`) or left `processing`; with `staleAfterMs`, only those untouched for that long
   * (a live replica keeps its running imports fresh).
   */
  async unfinishedAsync(staleAfterMs?: number): Promise<string[]> {
    const stale = staleAfterMs === undefined ? {} : { updatedAt: LessThan(new Date(Date.now() - staleAfterMs)) };
    const rows = await this.imports.find({
      select: { id: true },
      where: [
        { mode: 'async', status: 'queued', ...stale },
        { mode: 'async', status: 'processing', ...stale },
      ],
      order: { id: 'ASC' },
    });
    return rows.map(({ id }) => id);
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
    // An async import left by a dead process is the queue's to resume (AsyncImportRunner), not to close.
    const stale = await this.imports.find({
      select: { id: true },
      where: { status: 'processing', mode: 'sync', updatedAt },
    });
    let marked = 0;
    for (const { id } of stale) {
      const result = await this.imports.update(
        { id, status: 'processing', updatedAt },
        {
          // What its committed batches wrote: a re-send's report and this one together account for every row.
          ...(await this.batches.totals(id)),
          status: 'interrupted',
          failureReason:
            'The server stopped during this import. Batches written before that stay written; ' +
            'send the same file again to finish it.',
          updatedAt: now,
          finishedAt: now,
        },
      );
      marked += result.affected ?? 0;
      if (result.affected) await this.webhooks.importEnded(id);
    }
    return marked;
  }

  /**
   * The undo ledgers of imports older than IMPORT_UNDO_DAYS: what their updates replaced is personal data kept only
   * for undo. Selected first, then deleted by primary key prefix (see markStaleInterrupted).
   */
  async purgeExpiredLedgers(): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.import.undoDays * 24 * 60 * 60 * 1000);
    const expired = await this.imports
      .createQueryBuilder('import')
      .select('import.id', 'id')
      .where('import.createdAt < :cutoff', { cutoff })
      .andWhere('EXISTS (SELECT 1 FROM import_ledger ledger WHERE ledger.import_id = import.id)')
      .getRawMany<{ id: string }>();
    for (const { id } of expired) await this.ledger.delete({ importId: id });
    return expired.length;
  }

  private async sweep(): Promise<void> {
    try {
      const count = await this.markStaleInterrupted(this.config.import.staleAfterMs);
      if (count > 0) this.logger.warn(`Marked ${count} import(s) left by a stopped process as interrupted`);
      await this.purgeExpiredLedgers();
    } catch (error) {
      this.logger.error({ err: error }, 'Could not check for interrupted imports');
    }
  }
}
