import { CandidateBatches, TakenBatch, usedCustomFields } from './candidate-batches';
import { CsvDelimiter, CsvEncoding, CsvReader, RenamedHeader } from './csv-reader';
import { ColumnTarget, MappingDetector } from './mapping/mapping-detector';
import { NormalizedLead, Normalizer, RawLead } from './normalize/normalizer';

export interface PreparationOptions {
  /** More data records than this rejects the whole file. */
  maxRows: number;
  /** The user's column mapping (`parseMapping`), as entries so that it crosses threads as plain data. */
  mapping?: Array<[string, string]>;
  cleanup: boolean;
  batchSize: number;
  /** See `CsvReadOptions.keepCells`. */
  keepCells?: boolean;
}

/** What the import learns of the file before it writes anything. */
export interface PreparedFile {
  totalRows: number;
  headers: string[];
  /** Header → what the column became (`csvInfo.mapping`), as entries (a header may be `__proto__`). */
  mapping: Array<[string, ColumnTarget]>;
  delimiter: CsvDelimiter;
  encoding: CsvEncoding;
  unusedMapping: string[];
  renamedColumns: RenamedHeader[];
  /** Custom-field columns with a value in at least one readable row: only these get registered. */
  customNames: string[];
}

/**
 * The part of an import that needs the file, on whichever thread runs it: read, map, identify and de-duplicate
 * rows in the file (`take`), and clean the rows that will be written (`rawRows` + `clean`). No database, no I/O.
 * The file is parsed once, to check and count it; its records are then taken batch by batch, cut again from the
 * text unless `keepCells`, so that a worker thread holds the text and the batches in flight, not the records.
 */
export class FilePreparation {
  private constructor(
    readonly file: PreparedFile,
    private readonly batches: CandidateBatches,
    private readonly normalizer: Normalizer,
    private readonly cleanup: boolean,
  ) {}

  /** @throws ValidationError for a file (or mapping) that cannot be imported at all. */
  static async open(
    buffer: Buffer,
    options: PreparationOptions,
    tools = { reader: new CsvReader(), detector: new MappingDetector(), normalizer: new Normalizer() },
  ): Promise<FilePreparation> {
    const source = await tools.reader.open(buffer, { maxRows: options.maxRows, keepCells: options.keepCells });
    const userMapping = options.mapping && plainRecord(options.mapping);
    const columns = tools.detector.detect(source.headers, userMapping, source.samples);
    const file: PreparedFile = {
      totalRows: source.rowCount,
      headers: source.headers,
      mapping: Object.entries(columns.mapping),
      delimiter: source.delimiter,
      encoding: source.encoding,
      unusedMapping: columns.unusedMapping,
      renamedColumns: source.renamedHeaders,
      customNames: usedCustomFields(source.hasValues, columns),
    };
    const batches = new CandidateBatches(source.next, columns, options.cleanup, tools.normalizer, options.batchSize);
    return new FilePreparation(file, batches, tools.normalizer, options.cleanup);
  }

  take(): TakenBatch {
    return this.batches.take();
  }

  /** The rows of batch `number` to clean: those whose identity is not `known`, in batch order. */
  rawRows(number: number, known: ReadonlySet<string>): RawLead[] {
    return this.batches.rawRows(number, known);
  }

  clean(row: RawLead): NormalizedLead {
    return this.normalizer.normalize(row, this.cleanup);
  }
}

/** A null-prototype record of the entries, so that a key such as `__proto__` stays plain data. */
export function plainRecord<V>(entries: ReadonlyArray<readonly [string, V]>): Record<string, V> {
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}
