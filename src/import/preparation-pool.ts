import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { MessageChannel, MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AppError, ErrorCode, ValidationError } from '../common/app-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { TakenBatch } from './candidate-batches';
import { CsvReader } from './csv-reader';
import { EventLoopTurns } from './write/event-loop-turns';
import { FilePreparation, PreparationOptions, PreparedFile } from './file-preparation';
import { MappingDetector } from './mapping/mapping-detector';
import { NormalizedLead, Normalizer } from './normalize/normalizer';
import type { PreparationAsk, PreparationMessage, PreparationOutcome, PreparationTask } from './preparation.worker';

/** A worker thread's young generation, in MB (V8 divides it into three semi-spaces). */
const YOUNG_GENERATION_MB = 16;

/**
 * Up to this size the main thread keeps the first pass's cells: 7–10 % faster than cutting them again from the text
 * (measured before values were decoded only when read; since then the difference is within this machine's noise, see
 * docs/performance.md), for ~3× the text in memory. A larger file is cut: the 12 MB benchmark file (MariaDB update:
 * 196–225 MB cut, 231–261 MB kept, against a line of 250 MB) and the 50 MB one (263–281 MB instead of 370–381 MB).
 * A worker thread always cuts: it works beside the writes.
 */
const KEEP_CELLS_UP_TO_BYTES = 8 * 1024 * 1024;

/** Rows cleaned on the main thread in one turn of the event loop: ~5–10 ms. */
const ROWS_PER_TURN = 250;

/** An import's file being prepared, on a worker thread or on the main thread: the same answers either way. */
export interface PreparedImport {
  readonly file: PreparedFile;
  /** The next batch of rows to write (empty rows: the file is done), with the rows that failed or repeated on the way. */
  take(): Promise<TakenBatch>;
  /** Cleans the rows of batch `number` whose identity is not in `known`, in batch order. */
  clean(number: number, known: ReadonlySet<string>): Promise<NormalizedLead[]>;
  /** Lets the file go; call once the import is done with it, whatever happened. */
  close(): void;
}

/**
 * Prepares imports' files — read, map, identify, clean — in worker threads (Piscina), one thread per import for as
 * long as it runs, so that the main thread only writes to the database and answers requests. With
 * IMPORT_CLEANUP_THREADS=0, or while every thread has an import, a file is prepared on the main thread, a slice at a
 * time between turns of the event loop.
 */
@Injectable()
export class PreparationPool implements OnApplicationShutdown {
  private readonly logger = new Logger(PreparationPool.name);
  private readonly pool?: Piscina<PreparationTask, PreparationOutcome>;
  private readonly threads: number;
  private busy = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reader: CsvReader,
    private readonly detector: MappingDetector,
    private readonly normalizer: Normalizer,
    private readonly turns: EventLoopTurns,
  ) {
    this.threads = config.import.cleanupThreads;
    if (this.threads === 0) return;
    const compiled = __filename.endsWith('.js');
    this.pool = new Piscina({
      filename: join(__dirname, `preparation.worker.${compiled ? 'js' : 'ts'}`),
      // Under ts-jest the worker is TypeScript too.
      execArgv: compiled ? [] : ['--require', 'ts-node/register/transpile-only'],
      minThreads: 0,
      maxThreads: this.threads,
      // A thread that has run an import keeps its compiled code: the next import does not start cold.
      idleTimeout: 10 * 60_000,
      // What a thread allocates dies young (it holds the file's text, not its records): a young generation of 16 MB
      // instead of V8's 48 MB saves ~15–25 MB per thread at the peak for a few % of the time (docs/performance.md).
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    // A thread that fails outside a task (e.g. at start-up) is reported here; unheard, the error would end the process.
    this.pool.on('error', (error: unknown) => this.logger.error({ err: error }, 'An import thread failed'));
  }

  /**
   * Reads the file. Takes the upload's memory: `file` (and any other view of its memory) must not be used afterwards.
   * @throws ValidationError for a file (or mapping) that cannot be imported at all.
   */
  async open(file: Buffer, options: PreparationOptions): Promise<PreparedImport> {
    if (!this.pool || this.busy >= this.threads) return this.openHere(file, options);
    this.busy++;
    return WorkerImport.open(this.pool, file, options, () => this.busy--);
  }

  private async openHere(file: Buffer, options: PreparationOptions): Promise<PreparedImport> {
    const tools = { reader: this.reader, detector: this.detector, normalizer: this.normalizer };
    const keepCells = file.length <= KEEP_CELLS_UP_TO_BYTES;
    return new LocalImport(await FilePreparation.open(file, { ...options, keepCells }, tools), this.turns);
  }

  // After the HTTP server has closed, i.e. after running imports have drained (onModuleDestroy runs before that).
  async onApplicationShutdown(): Promise<void> {
    await this.pool?.destroy();
  }
}

/** On the main thread: each step waits for an event-loop turn of its own, and cleaning goes a slice per turn. */
class LocalImport implements PreparedImport {
  constructor(
    private readonly preparation: FilePreparation,
    private readonly turns: EventLoopTurns,
  ) {}

  get file(): PreparedFile {
    return this.preparation.file;
  }

  async take(): Promise<TakenBatch> {
    await this.turns.next(); // a thousand emails checked
    return this.preparation.take();
  }

  async clean(number: number, known: ReadonlySet<string>): Promise<NormalizedLead[]> {
    const rows = this.preparation.rawRows(number, known);
    const cleaned: NormalizedLead[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_TURN) {
      await this.turns.next();
      for (const row of rows.slice(start, start + ROWS_PER_TURN)) cleaned.push(this.preparation.clean(row));
    }
    return cleaned;
  }

  close(): void {}
}

/** On a worker thread, over a message port. */
class WorkerImport implements PreparedImport {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (json: string) => void; reject: (error: Error) => void }>();
  private stopped?: Error;

  private constructor(
    readonly file: PreparedFile,
    private readonly port: MessagePort,
  ) {
    port.on('message', (message: PreparationMessage) => this.answer(message));
  }

  /** `released` runs once the worker's task has ended (the thread is free again), whatever happened. */
  static async open(
    pool: Piscina<PreparationTask, PreparationOutcome>,
    file: Buffer,
    options: PreparationOptions,
    released: () => void,
  ): Promise<WorkerImport> {
    const { port1, port2 } = new MessageChannel();
    // The upload's memory moves to the worker; a small one may sit in Node's shared buffer pool and is copied.
    const bytes = file.buffer.byteLength > Buffer.poolSize ? file : new Uint8Array(file);
    const task: PreparationTask = { port: port2, file: bytes, options };
    const ended = pool.run(task, { transferList: [port2, bytes.buffer as ArrayBuffer] }).then(
      (outcome) => (outcome ? toError(outcome.message, outcome.code) : new Error('The import thread stopped')),
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    void ended.then(released);
    // The worker either says it opened the file, or ends its task with the reason it could not.
    const opened = new Promise<PreparationMessage>((resolve) => port1.once('message', resolve));
    const first = await Promise.race([opened, ended]);
    if (first instanceof Error) {
      port1.close();
      throw first;
    }
    if (!('op' in first)) throw new Error('Unexpected first message from the import thread');
    const prepared = new WorkerImport(JSON.parse(first.file) as PreparedFile, port1);
    void ended.then((error) => prepared.stop(error));
    return prepared;
  }

  async take(): Promise<TakenBatch> {
    return JSON.parse(await this.request({ op: 'take' })) as TakenBatch;
  }

  async clean(number: number, known: ReadonlySet<string>): Promise<NormalizedLead[]> {
    return JSON.parse(await this.request({ op: 'clean', batch: number, known: [...known] })) as NormalizedLead[];
  }

  close(): void {
    this.port.close();
  }

  private request(ask: PreparationAsk): Promise<string> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = ++this.nextId;
    return new Promise<string>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.port.postMessage({ ...ask, id });
    });
  }

  private answer(message: PreparationMessage): void {
    if (!('id' in message)) return;
    const waiting = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    if ('json' in message) waiting?.resolve(message.json);
    else waiting?.reject(new Error(message.message));
  }

  /** The task ended: requests still waiting (and any later one) fail with its reason. */
  private stop(reason: Error): void {
    this.stopped = reason;
    for (const { reject } of this.waiting.values()) reject(reason);
    this.waiting.clear();
  }
}

function toError(message: string, code: string | undefined): Error {
  if (code === ErrorCode.VALIDATION_ERROR) return new ValidationError(message);
  return code ? new AppError(code as ErrorCode, message) : new Error(message);
}
