import type { CsvRecord } from './csv-reader';
import type { ImportRowError } from './import-record.entity';
import type { ColumnMapping } from './mapping-detector';
import { AcceptedLead, Normalizer, RawLead, RejectedLead } from './normalizer';

const NO_VALUES: string[] = [];

/** A row with a valid email that is the first of its email in the file; cleaned only when it is to be written. */
export class PendingRow {
  private cleaned?: AcceptedLead | RejectedLead;

  constructor(
    readonly row: number,
    readonly line: number,
    readonly identity: string,
    /** The id it gets if it is inserted; made in file order, so ids (and listings) follow the file. */
    readonly id: string,
    /** The record's cells; split into lead and custom fields only if the row is cleaned (a skipped row never is). */
    private values: string[],
    private readonly columns: ColumnMapping,
    private readonly normalizer: Normalizer,
    private readonly cleanup: boolean,
  ) {}

  /** The raw cells, for cleaning elsewhere (a worker thread); undefined once cleaned. */
  get uncleaned(): RawLead | undefined {
    return this.cleaned ? undefined : toRawLead(this.values, this.columns);
  }

  /** Takes the result of cleaning this row elsewhere. */
  cleanedAs(result: AcceptedLead | RejectedLead): void {
    this.cleaned = result;
    this.values = NO_VALUES;
  }

  /** The row's values to store, or its error (a value over a length limit); cleaned here if not yet. */
  clean(): AcceptedLead | RejectedLead {
    if (!this.cleaned) this.cleanedAs(this.normalizer.normalize(toRawLead(this.values, this.columns), this.cleanup));
    return this.cleaned!;
  }

  errorOf(rejected: RejectedLead): ImportRowError {
    return { row: this.row, line: this.line, email: rejected.email, error: rejected.error };
  }
}

/** Rows written in one transaction. */
export interface RowBatch {
  rows: PendingRow[];
  /** With skipDuplicates: the batch's identities the workspace had just before the batch was written. */
  known?: Set<string>;
}

/**
 * Turns read records into batches of rows to write, lazily and in file order. Only the email is
 * looked at here (identity, in-file repeats); the rest of a row is cleaned when its batch is
 * written, so rows that end up skipped are never cleaned, cleaning overlaps the database's work on
 * earlier batches, and a record's raw values are released as soon as they are taken.
 */
export class CandidateBatches implements Iterator<RowBatch> {
  /** Rows that failed before writing: unreadable records and invalid or missing emails. */
  readonly errors: ImportRowError[] = [];
  duplicates = 0;
  private position = 0;
  private readonly seen = new Set<string>();
  private readonly emailColumn: number;

  constructor(
    private readonly records: CsvRecord[],
    private readonly columns: ColumnMapping,
    private readonly cleanup: boolean,
    private readonly normalizer: Normalizer,
    private readonly batchSize: number,
    private readonly newId: () => string,
  ) {
    this.emailColumn = columns.targets.indexOf('email');
  }

  next(): IteratorResult<RowBatch> {
    const rows: PendingRow[] = [];
    while (rows.length < this.batchSize && this.position < this.records.length) {
      const pending = this.take(this.records[this.position++]);
      if (pending) rows.push(pending);
    }
    return rows.length > 0 ? { done: false, value: { rows } } : { done: true, value: undefined };
  }

  private take(record: CsvRecord): PendingRow | undefined {
    const values = record.values;
    record.values = NO_VALUES;
    const emailCell = values[this.emailColumn];
    if (record.error !== undefined) {
      const email = (emailCell ?? '').trim().slice(0, 254);
      this.errors.push({ row: record.row, line: record.line, email, error: record.error });
      return undefined;
    }
    const identified = this.normalizer.identify(emailCell, this.cleanup);
    if (!identified.ok) {
      this.errors.push({ row: record.row, line: record.line, email: identified.email, error: identified.error });
      return undefined;
    }
    if (this.seen.has(identified.identity)) {
      this.duplicates++; // the first row with a valid email wins
      return undefined;
    }
    this.seen.add(identified.identity);
    return new PendingRow(
      record.row,
      record.line,
      identified.identity,
      this.newId(),
      values,
      this.columns,
      this.normalizer,
      this.cleanup,
    );
  }
}

/** Names of custom-field columns that hold a value in at least one row: only these get registered. */
export function usedCustomFields(records: CsvRecord[], columns: ColumnMapping): string[] {
  const used: string[] = [];
  columns.targets.forEach((target, index) => {
    if (!target.startsWith('custom:')) return;
    if (records.some((r) => r.error === undefined && (r.values[index] ?? '').trim() !== '')) {
      used.push(target.slice('custom:'.length));
    }
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

/**
 * Yields the source's batches in order, each after `prepare` finished with it, while preparing up
 * to `depth` batches ahead — so the preparation of later batches (cleaning in worker threads)
 * overlaps the writing of earlier ones. Taking a batch from the source is CPU work (a thousand emails
 * checked), so each take waits for `turn()`: takes never run back to back in one event-loop turn.
 */
export async function* readAhead<B>(
  source: Iterator<B>,
  prepare: (batch: B) => Promise<void>,
  depth: number,
  turn: () => Promise<void>,
): AsyncGenerator<B> {
  const queue: Array<Promise<IteratorResult<B>>> = [];
  let taken: Promise<unknown> = Promise.resolve();
  let exhausted = false;
  const fill = () => {
    while (!exhausted && queue.length < depth) {
      // Chained, so batches are taken in order; a slot taken after the end resolves done.
      const take = taken.then(async () => {
        await turn();
        const next = source.next();
        if (next.done) exhausted = true;
        return next;
      });
      taken = take;
      const ready = take.then(async (next) => {
        if (!next.done) await prepare(next.value);
        return next;
      });
      ready.catch(() => undefined); // awaited below in its turn; until then not an unhandled rejection
      queue.push(ready);
    }
  };
  fill();
  while (queue.length > 0) {
    const next = await queue.shift()!;
    if (next.done) return;
    fill();
    yield next.value;
  }
}
