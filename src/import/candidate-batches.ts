import type { CsvSource, SourceRecord } from './csv-reader';
import type { ImportRowError } from './history/import-record.entity';
import type { ColumnMapping } from './mapping/mapping-detector';
import type { NormalizedLead, Normalizer, RawLead, RejectedLead } from './normalize/normalizer';

/** A row with a valid email that is the first of its email in the file: what the writing side needs to know of it. */
export interface CandidateRow {
  row: number;
  line: number;
  identity: string;
}

/** The next rows to write, and what was settled among the records taken for them. */
export interface TakenBatch {
  /** Numbers the batch for `rawRows`; the rows are empty once the file is done. */
  number: number;
  rows: CandidateRow[];
  /** Rows that failed before writing: unreadable records and invalid or missing emails. */
  errors: ImportRowError[];
  /** Rows whose email an earlier row of the file has (the first row with a valid email wins). */
  duplicates: number;
}

/**
 * Turns read records into batches of rows to write, lazily and in file order. Only the email is looked at here
 * (identity, in-file repeats); the rest of a row is decoded and split into fields only if it is to be cleaned, so
 * rows that end up skipped are never cleaned, and a record is released as soon as its batch is cleaned.
 */
export class CandidateBatches {
  /** Records read and not yet taken. */
  private records: SourceRecord[] = [];
  private position = 0;
  private taken = 0;
  private readonly seen = new Set<string>();
  private readonly emailColumn: number;
  /** The rows of batches taken and not yet cleaned, with their records, by batch number. */
  private readonly pending = new Map<number, Array<{ identity: string; record: SourceRecord }>>();

  constructor(
    private readonly read: CsvSource['next'],
    private readonly columns: ColumnMapping,
    private readonly cleanup: boolean,
    private readonly normalizer: Normalizer,
    private readonly batchSize: number,
  ) {
    this.emailColumn = columns.targets.indexOf('email');
  }

  take(): TakenBatch {
    const batch: TakenBatch = { number: ++this.taken, rows: [], errors: [], duplicates: 0 };
    const pending: Array<{ identity: string; record: SourceRecord }> = [];
    while (batch.rows.length < this.batchSize) {
      if (this.position === this.records.length) {
        this.records = this.read();
        this.position = 0;
        if (this.records.length === 0) break;
      }
      const record = this.records[this.position++];
      const row = this.candidate(record, batch);
      if (row) {
        batch.rows.push(row);
        pending.push({ identity: row.identity, record });
      }
    }
    if (pending.length > 0) this.pending.set(batch.number, pending);
    return batch;
  }

  /**
   * The rows of batch `number` whose identity is not `known`, split into lead and custom fields, in batch order.
   * Once asked for, the batch's records are let go.
   */
  rawRows(number: number, known: ReadonlySet<string>): RawLead[] {
    const pending = this.pending.get(number) ?? [];
    this.pending.delete(number);
    const raw: RawLead[] = [];
    for (const row of pending) if (!known.has(row.identity)) raw.push(toRawLead(row.record.values(), this.columns));
    return raw;
  }

  private candidate(record: SourceRecord, batch: TakenBatch): CandidateRow | undefined {
    const emailCell = record.value(this.emailColumn);
    if (record.error !== undefined) {
      const email = emailCell.trim().slice(0, 254);
      batch.errors.push({ row: record.row, line: record.line, email, error: record.error });
      return undefined;
    }
    const identified = this.normalizer.identify(emailCell, this.cleanup);
    if (!identified.ok) {
      batch.errors.push({ row: record.row, line: record.line, email: identified.email, error: identified.error });
      return undefined;
    }
    if (this.seen.has(identified.identity)) {
      batch.duplicates++;
      return undefined;
    }
    this.seen.add(identified.identity);
    return { row: record.row, line: record.line, identity: identified.identity };
  }
}

/** Names of custom-field columns that hold a value in at least one readable row: only these get registered. */
export function usedCustomFields(hasValues: boolean[], columns: ColumnMapping): string[] {
  const used: string[] = [];
  columns.targets.forEach((target, index) => {
    if (target.startsWith('custom:') && hasValues[index]) used.push(target.slice('custom:'.length));
  });
  return used;
}

/** Splits a record's cells into lead fields and custom fields by the column mapping. */
export function toRawLead(values: string[], columns: ColumnMapping): RawLead {
  const fields: RawLead['fields'] = {};
  const custom: Array<[string, string]> = [];
  columns.targets.forEach((target, index) => {
    const value = values[index] ?? '';
    if (target === 'skip') return;
    if (target.startsWith('custom:')) custom.push([target.slice('custom:'.length), value]);
    else fields[target as keyof RawLead['fields']] = value;
  });
  return { fields, custom };
}

/** A candidate row on the writing side: the id it gets if inserted, and once cleaned, its values or its error. */
export class PendingRow implements CandidateRow {
  cleaned?: NormalizedLead;

  constructor(
    readonly row: number,
    readonly line: number,
    readonly identity: string,
    /** Made in file order, so ids (and listings) follow the file. */
    readonly id: string,
  ) {}

  errorOf(rejected: RejectedLead): ImportRowError {
    return { row: this.row, line: this.line, email: rejected.email, error: rejected.error };
  }
}

/** Rows written in one transaction. */
export interface RowBatch {
  /** The batch's number where it was taken (to have its rows cleaned). */
  number: number;
  rows: PendingRow[];
  /** With skipDuplicates: the batch's identities the workspace had when the batch was cleaned (never cleaned). */
  known?: Set<string>;
}

/**
 * Passes on the batches that have a row to write. A batch whose rows the workspace all has (skip mode, as
 * `known` says) needs no transaction: it goes to `allKnown` instead, to be counted as skipped.
 */
export async function* withRowsToWrite(
  batches: AsyncIterable<RowBatch>,
  allKnown: (batch: RowBatch) => void,
): AsyncGenerator<RowBatch> {
  for await (const batch of batches) {
    const known = batch.known;
    if (known && batch.rows.every((row) => known.has(row.identity))) allKnown(batch);
    else yield batch;
  }
}

/** Batches cleaned ahead of the one being written: enough to keep a preparation thread busy, little memory… */
const READ_AHEAD_BATCHES = 4;
/**
 * …and at most about this much of the file's text in them, so batches of long rows are fewer: the 50 MB benchmark file
 * (~1 KB a row) reads 3 ahead, for a peak 20–30 MB lower in the same time (docs/performance.md).
 */
const READ_AHEAD_BYTES = 3 * 1024 * 1024;

/** How many batches `readAhead` should prepare ahead for a file of this size and row count. */
export function readAheadDepth(fileBytes: number, rows: number, batchSize: number): number {
  const batchBytes = (fileBytes / Math.max(1, rows)) * batchSize;
  return Math.max(1, Math.min(READ_AHEAD_BATCHES, Math.round(READ_AHEAD_BYTES / batchBytes)));
}

/**
 * Yields the source's batches in order (`take` answers undefined at the end), each after `prepare` finished with it,
 * while taking and preparing up to `depth` batches ahead — so the cleaning of later batches overlaps the writing of
 * earlier ones. `take` must answer in the order it is called (a worker thread answers requests in order); it is
 * called again without waiting for its last answer, so a worker always has the next request queued.
 */
export async function* readAhead<B>(
  take: () => Promise<B | undefined>,
  prepare: (batch: B) => Promise<void>,
  depth: number,
): AsyncGenerator<B> {
  const queue: Array<Promise<B | undefined>> = [];
  let exhausted = false;
  const fill = () => {
    while (!exhausted && queue.length < depth) {
      const ready = take().then(async (batch) => {
        if (batch === undefined) exhausted = true;
        else await prepare(batch);
        return batch;
      });
      ready.catch(() => undefined); // awaited below in its turn; until then not an unhandled rejection
      queue.push(ready);
    }
  };
  fill();
  while (queue.length > 0) {
    const batch = await queue.shift()!;
    if (batch === undefined) return;
    fill();
    yield batch;
  }
}
