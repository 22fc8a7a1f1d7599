/**
 * Cleaning in a worker thread, for SQLite: its writes run on the main thread, so the main thread writes one batch
 * while the thread cleans the next. MySQL's writes run in the database server, which overlaps the main thread already.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { workerThread } from '../../common/worker-thread';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { ColumnTarget } from '../mapping/column-mapping';
import type { NormalizedLead, NormalizeOptions } from '../normalize/normalizer';
import type { CleaningAnswer, CleaningRequest } from './cleaning.worker';

/** The thread's allocations die young (a batch's rows): V8's larger default young generation would only hold more. */
const YOUNG_GENERATION_MB = 16;

@Injectable()
export class CleaningThread implements OnApplicationShutdown {
  private readonly logger = new Logger(CleaningThread.name);
  private worker?: Worker;
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (rows: NormalizedLead[]) => void; reject: (e: Error) => void }
  >();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** SQLite on more than one core, unless IMPORT_CLEANING_THREAD=false. */
  get enabled(): boolean {
    return this.config.database.type === 'sqlite' && this.config.import.cleaningThread && availableParallelism() > 1;
  }

  /** Cleans rows given as their values by column, read through `targets` (the column mapping). */
  clean(
    rows: string[][],
    targets: ColumnTarget[],
    cleanup: boolean,
    options: NormalizeOptions,
  ): Promise<NormalizedLead[]> {
    const worker = this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, rows, targets, cleanup, options } satisfies CleaningRequest);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    worker?.removeAllListeners('exit');
    await worker?.terminate();
  }

  /** One thread per process, started with the first import and kept (its code stays compiled). */
  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = workerThread(__dirname, 'cleaning.worker', {
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    worker.on('message', ({ id, json, error }: CleaningAnswer) => {
      const waiting = this.waiting.get(id);
      this.waiting.delete(id);
      if (error !== undefined) waiting?.reject(new Error(error));
      else waiting?.resolve(JSON.parse(json!) as NormalizedLead[]);
    });
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', (code) => this.stop(new Error(`The cleaning thread stopped (exit code ${code})`)));
    return (this.worker = worker);
  }

  /** Requests still waiting fail; the next import starts a new thread. */
  private stop(error: Error): void {
    this.logger.error({ err: error }, 'The cleaning thread failed');
    this.worker = undefined;
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}
