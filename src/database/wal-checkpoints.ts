/**
 * SQLite's WAL checkpoints, off the event loop. A checkpoint copies the WAL's pages back into the database file. Run
 * by SQLite itself after a commit (wal_autocheckpoint), it holds the main thread for as long as that takes: during an
 * import, the longest wait a request sees. A worker thread with its own connection checkpoints instead, while the main
 * thread goes on writing; the commit-time checkpoint stays as the backstop and then finds little left to copy.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Worker } from 'node:worker_threads';
import { workerThread } from '../common/worker-thread';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { WalCheckpointSettings } from './wal-checkpoint.worker';

/** Often enough that a commit rarely finds many pages to copy, rarely enough to cost nothing when idle. */
const INTERVAL_MS = 100;

@Injectable()
export class WalCheckpoints implements OnApplicationShutdown {
  private readonly logger = new Logger(WalCheckpoints.name);
  private worker?: Worker;
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Starts the thread (once; bulk writers call this first): only for an SQLite file, which has a WAL. */
  start(): void {
    const { database } = this.config;
    if (this.worker || this.closed || database.type !== 'sqlite' || database.path === ':memory:') return;
    const worker = workerThread(__dirname, 'wal-checkpoint.worker', {
      workerData: { path: database.path, intervalMs: INTERVAL_MS } satisfies WalCheckpointSettings,
    });
    // Without the thread, checkpoints happen at commits as SQLite does by default: nothing is lost.
    worker.on('error', (error) => {
      this.logger.warn({ err: error }, 'The WAL checkpoint thread failed; checkpoints run at commits');
      this.worker = undefined;
    });
    this.worker = worker;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
