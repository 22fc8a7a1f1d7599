import type { CsvRecord } from './csv-reader';
import type { ImportRowError } from './import-record.entity';
import type { ColumnMapping } from './mapping-detector';
import { AcceptedLead, Normalizer, RawLead } from './normalizer';

/** A row that passed reading and cleaning and is the first of its email in the file. */
export interface Candidate extends AcceptedLead {
  row: number;
  /** The id it gets if it is inserted; made in file order, so ids (and listings) follow the file. */
  id: string;
}

const NO_VALUES: string[] = [];

/**
 * Turns read records into batches of rows to write, lazily and in file order: each batch is cleaned
 * just before it is written, so cleaning overlaps the database's work on earlier batches and a
 * record's raw values are released once cleaned. Failed rows and in-file repeats are counted on the way.
 */
export class CandidateBatches implements Iterator<Candidate[]> {
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

  next(): IteratorResult<Candidate[]> {
    const batch: Candidate[] = [];
    while (batch.length < this.batchSize && this.position < this.records.length) {
      const candidate = this.take(this.records[this.position++]);
      if (candidate) batch.push(candidate);
    }
    return batch.length > 0 ? { done: false, value: batch } : { done: true, value: undefined };
  }

  /** Every record has been turned into a candidate, an error or a repeat. */
  get exhausted(): boolean {
    return this.position >= this.records.length;
  }

  private take(record: CsvRecord): Candidate | undefined {
    const values = record.values;
    record.values = NO_VALUES;
    if (record.error !== undefined) {
      const email = (values[this.emailColumn] ?? '').trim().slice(0, 254);
      this.errors.push({ row: record.row, line: record.line, email, error: record.error });
      return undefined;
    }
    const lead = this.normalizer.normalize(toRawLead(values, this.columns), this.cleanup);
    if (!lead.ok) {
      this.errors.push({ row: record.row, line: record.line, email: lead.email, error: lead.error });
      return undefined;
    }
    if (this.seen.has(lead.identity)) {
      this.duplicates++; // the first row of an email wins
      return undefined;
    }
    this.seen.add(lead.identity);
    return { ...lead, row: record.row, id: this.newId() };
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

function toRawLead(values: string[], columns: ColumnMapping): RawLead {
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
