/**
 * The queue with Redis (REDIS_URL): BullMQ, shared by every replica. A job is held under a lock its worker renews; a
 * replica killed mid-import stops renewing it, BullMQ finds the job stalled and another replica takes it, resuming
 * after the committed batches. A stopping replica moves its jobs back to waiting.
 */
import { Logger } from '@nestjs/common';
import { Job, Queue, WaitingError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { ImportHandedBackError, ImportJobHandler, ImportQueue } from './import-queue';

const QUEUE_NAME = 'imports';
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

  private constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly lockMs: number,
  ) {
    super();
    this.queue = new Queue<ImportJobData>(QUEUE_NAME, { connection: this.connection(), prefix });
    this.queue.on('error', (error) => this.logger.error({ err: error }, 'Import queue connection error'));
  }

  /** Fails with a message naming REDIS_URL when Redis does not answer, so that a bad setting stops the start. */
  static async connect(url: string, prefix: string, lockMs: number): Promise<BullmqImportQueue> {
    const probe = new IORedis(url, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined); // reported by connect() below
    try {
      await probe.connect();
      await probe.ping();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`REDIS_URL is set but Redis does not answer at ${redacted(url)} (${reason}).`);
    } finally {
      probe.disconnect();
    }
    return new BullmqImportQueue(url, prefix, lockMs);
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
    // close() takes no new job and waits for the running ones, which hand their imports back.
    await this.worker?.close();
    await this.queue.close();
    // Connections passed in are the caller's to close.
    await Promise.allSettled(this.connections.map((redis) => redis.quit()));
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

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
