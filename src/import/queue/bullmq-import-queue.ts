/**
 * The queue with Redis (REDIS_URL): BullMQ, shared by every replica. A job is held under a lock its worker renews; a
 * replica killed mid-import stops renewing it, BullMQ finds the job stalled and another replica takes it, resuming
 * after the committed batches. A stopping replica moves its jobs back to waiting.
 */
import { Logger } from '@nestjs/common';
import { Job, Queue, WaitingError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImportHandedBackError, ImportJobHandler, ImportQueue } from './import-queue';

const QUEUE_NAME = 'imports';
/** How long a stopping replica waits for BullMQ to take its jobs back and close. */
const CLOSE_TIMEOUT_MS = 5000;
/** A job stalled this many times (its replicas died) fails instead of being retried again. */
const MAX_STALLED = 10;

interface ImportJobData {
  importId: string;
}

export class BullmqImportQueue extends ImportQueue {
  readonly shared = true;
  private readonly logger = new Logger(BullmqImportQueue.name);
  private readonly queue: Queue<ImportJobData>;
  private worker?: Worker<ImportJobData>;
  private readonly stopping = new AbortController();
  private readonly connections: IORedis[] = [];

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly lockMs: number,
  ) {
    super();
    this.queue = new Queue<ImportJobData>(QUEUE_NAME, { connection: this.connection(), prefix });
    this.queue.on('error', (error) => this.logger.error({ err: error }, 'Import queue connection error'));
  }

  async add(importId: string): Promise<void> {
    // The job id is the import's: BullMQ ignores an add while a job with that id exists.
    await this.queue.add(
      'import',
      { importId },
      {
        jobId: `import-${importId}`,
        removeOnComplete: true,
        removeOnFail: true,
        attempts: 5,
        backoff: { type: 'exponential', delay: 5000 },
      },
    );
  }

  start(handler: ImportJobHandler, concurrency: number): Promise<void> {
    this.worker = new Worker<ImportJobData>(QUEUE_NAME, (job, token) => this.process(handler, job, token), {
      connection: this.connection(),
      prefix: this.prefix,
      concurrency,
      lockDuration: this.lockMs,
      stalledInterval: this.lockMs,
      maxStalledCount: MAX_STALLED,
    });
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'Import worker error'));
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    // close() takes no new job and waits for the running ones, which hand their imports back. A Redis that is gone
    // cannot take them back, and must not hold the shutdown: their records are `queued`, and recovery re-queues them.
    const closed = Promise.allSettled([this.worker?.close(), this.queue.close()]);
    await Promise.race([closed, sleep(CLOSE_TIMEOUT_MS)]);
    // Connections passed in are the caller's to close.
    for (const redis of this.connections) redis.disconnect();
  }

  /** BullMQ's workers block on Redis: commands must wait for a reconnect rather than fail. */
  private connection(): IORedis {
    const redis = new IORedis(this.url, { maxRetriesPerRequest: null });
    this.connections.push(redis);
    return redis;
  }

  private async process(handler: ImportJobHandler, job: Job<ImportJobData>, token?: string): Promise<void> {
    try {
      await handler(job.data.importId, this.stopping.signal);
    } catch (error) {
      if (!(error instanceof ImportHandedBackError)) throw error;
      await job.moveToWait(token);
      throw new WaitingError();
    }
  }
}
