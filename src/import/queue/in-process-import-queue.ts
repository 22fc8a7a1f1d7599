/**
 * The queue without Redis: jobs wait in this process's memory, but each one is an import record in the database
 * (`queued` or `processing` with its upload), so one left by a stopped process is queued again at the next start.
 */
import { Logger } from '@nestjs/common';
import { ImportHandedBackError, ImportJobHandler, ImportQueue } from './import-queue';

export class InProcessImportQueue extends ImportQueue {
  readonly shared = false;
  private readonly logger = new Logger(InProcessImportQueue.name);
  private readonly waiting: string[] = [];
  /** Waiting or running: queuing one again is a no-op. */
  private readonly known = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private handler?: ImportJobHandler;
  private concurrency = 1;

  add(importId: string): Promise<void> {
    if (!this.known.has(importId) && !this.stopping.signal.aborted) {
      this.known.add(importId);
      this.waiting.push(importId);
      this.pump();
    }
    return Promise.resolve();
  }

  start(handler: ImportJobHandler, concurrency: number): Promise<void> {
    this.handler = handler;
    this.concurrency = concurrency;
    this.pump();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.waiting.length = 0;
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    const handler = this.handler;
    while (handler && !this.stopping.signal.aborted && this.running.size < this.concurrency && this.waiting.length) {
      const importId = this.waiting.shift()!;
      const job: Promise<void> = handler(importId, this.stopping.signal)
        .catch((error: unknown) => {
          if (error instanceof ImportHandedBackError) return;
          // The record stays queued or processing: the next start runs it again.
          this.logger.error({ err: error, importId }, 'An async import failed to run; it is retried at the next start');
        })
        .finally(() => {
          this.running.delete(job);
          this.known.delete(importId);
          this.pump();
        });
      this.running.add(job);
    }
  }
}
