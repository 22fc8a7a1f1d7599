/**
 * The one place where import writes meet transactions: each batch runs in its own transaction (its own manager), up
 * to `batchConcurrency` at once on MySQL and one at a time on SQLite, retried whole on deadlocks, lock timeouts and
 * unique-key collisions.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseErrorCode } from '../../common/database-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { WalCheckpoints } from '../../database/wal-checkpoints';
import type { BatchOutcome, LeadBatch } from '../pipeline/lead-batch';
import { BatchWriter, WritePlan } from './batch-writer';
import { EventLoopTurns } from './event-loop-turns';
import { Transactions } from './transactions';

const MAX_ATTEMPTS = 6;
const BASE_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 1000;

/** MySQL: deadlock, lock wait timeout, duplicate key (a concurrent import took the email). SQLite: busy, unique. */
const RETRYABLE = new Set([
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_DUP_ENTRY',
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_CONSTRAINT_UNIQUE',
]);

/** The run was stopped (shutdown) with batches left; the batches committed before stay committed. */
export class BatchesStoppedError extends Error {
  constructor() {
    super('The import was stopped before all its batches were written');
  }
}

/** A batch failed for good; the batches committed before it stay committed. */
export class BatchFailedError extends Error {
  constructor(cause: unknown) {
    super('A batch of the import could not be written', { cause });
  }
}

@Injectable()
export class BatchRunner {
  private readonly logger = new Logger(BatchRunner.name);
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly writer: BatchWriter,
    private readonly checkpoints: WalCheckpoints,
    private readonly turns: EventLoopTurns,
  ) {}

  /**
   * Writes every batch, taking the next one as a worker frees up, and yields what each did once it is committed. On a
   * failure, or once `stop` is aborted, no new batch starts, the ones in flight finish, and the run throws.
   * @throws BatchFailedError, BatchesStoppedError
   */
  async *run(batches: AsyncIterable<LeadBatch>, plan: WritePlan, stop: AbortSignal): AsyncGenerator<BatchOutcome> {
    const mysql = this.transactions.concurrent;
    this.checkpoints.start();
    const source = batches[Symbol.asyncIterator]();
    const committed: BatchOutcome[] = [];
    let wake: (() => void) | undefined;
    let failure: unknown;
    let stopped = false;

    const worker = async () => {
      while (failure === undefined) {
        if (stop.aborted) {
          stopped = true;
          return;
        }
        try {
          const next = await source.next();
          if (next.done) return;
          // better-sqlite3 answers synchronously: a batch's transaction is an event-loop step of its own, not the tail
          // of the step that finished preparing the batch (and without turns an import would hold the loop to its end).
          if (!mysql) await this.turns.next();
          committed.push(await this.writeOne(next.value, plan));
        } catch (error) {
          failure ??= error;
        } finally {
          wake?.();
        }
      }
    };
    const concurrency = mysql ? this.config.import.batchConcurrency : 1;
    let running = true;
    const workers = Promise.all(Array.from({ length: concurrency }, worker)).finally(() => {
      running = false;
      wake?.();
    });
    while (running || committed.length > 0) {
      if (committed.length > 0) yield committed.shift()!;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
    await workers;
    if (failure !== undefined) throw new BatchFailedError(failure);
    if (stopped && !(await source.next()).done) throw new BatchesStoppedError();
  }

  private writeOne(batch: LeadBatch, plan: WritePlan): Promise<BatchOutcome> {
    if (!this.writer.writesLeads(batch, plan)) return this.writer.settle(this.dataSource.manager, batch, plan);
    return this.withRetries((attempt) =>
      this.transactions.run((manager) => this.writer.write(manager, batch, plan, attempt)),
    );
  }

  private async withRetries<R>(attempt: (tries: number) => Promise<R>): Promise<R> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt(tries);
      } catch (error) {
        const code = databaseErrorCode(error);
        if (tries >= MAX_ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw error;
        const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** tries);
        this.logger.warn(`Retrying an import batch after ${code} (attempt ${tries + 1})`);
        await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * (backoff / 2)));
      }
    }
  }
}
