/**
 * The queue of async imports, one interface with two drivers: in this process (no REDIS_URL; the records in the
 * database are what is durable) or BullMQ in Redis (shared by every replica). A job is an import id; running it is
 * AsyncImports' business.
 */

/** Stopped between batches and back in the queue (a replica shutting down). */
export class ImportHandedBackError extends Error {
  constructor(readonly importId: string) {
    super(`Import ${importId} was handed back to the queue`);
  }
}

/** Runs one import; rejects with ImportHandedBackError when `stop` made it hand the import back. */
export type ImportJobHandler = (importId: string, stop: AbortSignal) => Promise<void>;

export abstract class ImportQueue {
  /** Whether another replica may run what this one queues (only then is a stale record worth re-adding). */
  abstract readonly shared: boolean;

  /** Queues the import; queuing one already queued or running is a no-op. */
  abstract add(importId: string): Promise<void>;

  /** Starts taking jobs, at most `concurrency` at once. */
  abstract start(handler: ImportJobHandler, concurrency: number): Promise<void>;

  /** Takes no more jobs; the running ones are stopped between batches and handed back. Resolves once none runs. */
  abstract stop(): Promise<void>;
}
