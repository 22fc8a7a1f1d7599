import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EventLoopTurns } from './event-loop-turns';

const MAX_ATTEMPTS = 6;
const BASE_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 1000;

/** MySQL: deadlock, lock wait timeout, duplicate key (a concurrent import took the email). SQLite: busy, unique. */
const RETRYABLE_MYSQL = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_DUP_ENTRY']);
const RETRYABLE_SQLITE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_CONSTRAINT_UNIQUE']);

/** The run was stopped (shutdown) with batches left; the batches committed before stay committed. */
export class BatchesStoppedError extends Error {
  constructor() {
    super('The import was stopped before all its batches were written');
  }
}

/** A batch failed for good; batches committed before it stay committed. */
export class BatchFailedError extends Error {
  constructor(cause: unknown) {
    super('A batch of the import could not be written', { cause });
  }
}

/**
 * The one place where import writes meet transactions: each batch runs in its own transaction
 * (using only that transaction's manager), up to `batchConcurrency` at once on MySQL and one at a
 * time on SQLite, and is retried whole on deadlocks, lock timeouts and unique-key collisions.
 */
@Injectable()
export class BatchRunner {
  private readonly logger = new Logger(BatchRunner.name);
  /**
   * SQLite: TypeORM's better-sqlite3 driver runs every query of the DataSource on one connection, so two
   * transactions in flight at once (two imports) would nest or collide ("cannot start a transaction within a
   * transaction"). Batches of all imports therefore take turns; each waits for the previous one to settle.
   */
  private sqliteTurn: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly turns: EventLoopTurns,
  ) {}

  /**
   * For `work`, before the CPU-heavy part of a batch (building its rows and statement). On MySQL, where batches run
   * side by side, it waits for an event-loop turn of its own, so several batches' statements are not built back to
   * back while requests wait. On SQLite it returns at once: a batch runs alone there and must not yield inside its
   * transaction, or the one connection would run other requests' writes inside it (and roll them back with it).
   */
  heavyStep(): Promise<void> {
    return this.dataSource.options.type === 'mysql' ? this.turns.next() : Promise.resolve();
  }

  /**
   * Runs `work` for every batch the source yields (taken one at a time, as workers free up);
   * `onCommitted` sees each result after its transaction committed. On a failure no new batch
   * starts, the ones in flight finish, and BatchFailedError is thrown. Once `stop` is aborted,
   * likewise: no new batch, and BatchesStoppedError if batches were left.
   */
  async run<B, R>(
    batches: AsyncIterator<B>,
    work: (manager: EntityManager, batch: B, attempt: number) => Promise<R>,
    onCommitted: (result: R, batch: B) => void,
    stop?: AbortSignal,
  ): Promise<void> {
    const mysql = this.dataSource.options.type === 'mysql';
    const concurrency = mysql ? this.config.import.batchConcurrency : 1;
    let failure: unknown;

    const worker = async () => {
      while (failure === undefined && !stop?.aborted) {
        let next: IteratorResult<B>;
        try {
          next = await batches.next();
        } catch (error) {
          failure ??= error;
          return;
        }
        if (next.done) return;
        try {
          const result = await this.withRetries((attempt) =>
            mysql
              ? this.dataSource.transaction('READ COMMITTED', (manager) => work(manager, next.value, attempt))
              : this.inTurn(() => this.dataSource.transaction((manager) => work(manager, next.value, attempt))),
          );
          onCommitted(result, next.value);
        } catch (error) {
          failure ??= error;
        }
        // better-sqlite3 answers synchronously: without this, an import would hold the event loop to its end.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (failure !== undefined) throw new BatchFailedError(failure);
    if (stop?.aborted && !(await batches.next()).done) throw new BatchesStoppedError();
  }

  private inTurn<R>(transaction: () => Promise<R>): Promise<R> {
    const result = this.sqliteTurn.then(transaction);
    this.sqliteTurn = result.catch(() => undefined);
    return result;
  }

  private async withRetries<R>(attempt: (tries: number) => Promise<R>): Promise<R> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt(tries);
      } catch (error) {
        if (tries >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** tries);
        const delay = backoff / 2 + Math.random() * (backoff / 2);
        this.logger.warn(`Retrying an import batch after ${errorCode(error)} (attempt ${tries + 1})`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

function errorCode(error: unknown): string | undefined {
  const driverError: unknown = error instanceof QueryFailedError ? error.driverError : error;
  const code = (driverError as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && (RETRYABLE_MYSQL.has(code) || RETRYABLE_SQLITE.has(code));
}
