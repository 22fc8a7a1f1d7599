/**
 * Opens an uploaded CSV file for the import: sniffs it, enforces the row limit with the pre-pass, reads the header and
 * the first rows (enough to decide the mapping), and hands the rest out as a stream of rows. Pure: no database.
 */
import { Injectable } from '@nestjs/common';
import { ValidationError } from '../../common/app-error';
import { ColumnLayout, CsvRow, RenamedHeader } from './column-layout';
import { parseRecords, ParsedRecord } from './csv-records';
import {
  CsvDelimiter,
  CsvEncoding,
  decode,
  detectDialect,
  rejectControlCharacters,
  rejectKnownBinary,
} from './csv-sniffer';
import { scanRecords } from './record-scan';

export interface CsvReadOptions {
  /** More data records than this rejects the whole file. */
  maxRows: number;
  /** A value with more UTF-8 bytes than this fails its row. */
  maxCellBytes: number;
  /** About how many bytes of whole records csv-parser is given at once. */
  chunkBytes: number;
}

export const DEFAULT_CSV_READ_OPTIONS: Readonly<CsvReadOptions> = {
  maxRows: 50_000,
  maxCellBytes: 1_048_576,
  chunkBytes: 64 * 1024,
};

/** Rows read before the mapping is decided: the mapping detector's samples come from them. */
export const FIRST_ROWS = 1_000;

const EMPTY_FILE = 'CSV file is empty';

/** The columns `csvInfo` reports: blank-headed columns without any value are left out. */
export interface ReportedColumns {
  columns: string[];
  renamedColumns: RenamedHeader[];
}

/** An opened file: its header and first rows are read, the rest is read as `rows()` is iterated (once). */
export class CsvFile {
  constructor(
    readonly encoding: CsvEncoding,
    readonly delimiter: CsvDelimiter,
    /** One unique name per column. */
    readonly headers: string[],
    /** The header record's cells as csv-parser cut them. */
    readonly headerCells: string[],
    /** The first data rows (up to FIRST_ROWS), also the start of `rows()`. */
    readonly firstRows: CsvRow[],
    private readonly layout: ColumnLayout,
    private readonly rest: AsyncIterator<ParsedRecord[]>,
    private readonly scannedRows: number,
  ) {}

  /** Data rows in the file: exact once `rows()` has been read to the end, before that the pre-pass's count. */
  get totalRows(): number {
    return this.finished ? this.layout.rowCount : this.scannedRows;
  }

  private finished = false;

  /** Every data row in file order, a few hundred at a time. */
  async *rows(): AsyncGenerator<CsvRow[]> {
    if (this.firstRows.length > 0) yield this.firstRows;
    for (let next = await this.rest.next(); !next.done; next = await this.rest.next()) {
      yield next.value.map((record) => this.layout.toRow(record));
    }
    this.finished = true;
  }

  /** What `csvInfo` says of the columns; complete once `rows()` has been read to the end. */
  reportedColumns(): ReportedColumns {
    return {
      columns: this.headers.filter((_header, column) => this.layout.isReported(column)),
      renamedColumns: this.layout.renamedHeaders(),
    };
  }
}

@Injectable()
export class CsvReader {
  /**
   * @throws ValidationError when the file is not CSV text, has no header or no data row, a header that cannot be read,
   * or more than `maxRows` data rows. Anything wrong with a single row is reported on that row instead.
   */
  async open(file: Buffer, options: Partial<CsvReadOptions> = {}): Promise<CsvFile> {
    const { maxRows, maxCellBytes, chunkBytes } = { ...DEFAULT_CSV_READ_OPTIONS, ...options };
    rejectKnownBinary(file);
    const { encoding, text } = decode(file);
    rejectControlCharacters(text);
    const dialect = detectDialect(text);
    const countRecords = async () => {
      let count = 0;
      for await (const records of parseRecords(text, dialect, [text.length])) count += records.length;
      return count;
    };
    const { chunkEnds, dataRows } = await scanRecords(text, dialect, maxRows, chunkBytes, countRecords);

    const records = parseRecords(text, dialect, chunkEnds);
    const read: ParsedRecord[] = [];
    const readMore = async () => {
      const next = await records.next();
      if (!next.done) read.push(...next.value);
      return !next.done;
    };
    while (read.length === 0 && (await readMore()));
    const header = read.shift();
    if (!header) throw new ValidationError(EMPTY_FILE);
    if (header.error !== undefined) throw new ValidationError(`The header row cannot be read: ${header.error}`);
    while (read.length < FIRST_ROWS && (await readMore()));
    if (read.length === 0) throw new ValidationError(EMPTY_FILE);

    const layout = new ColumnLayout(header.cells, maxCellBytes);
    const firstRows = read.map((record) => layout.toRow(record));
    return new CsvFile(encoding, dialect.delimiter, layout.headers, header.cells, firstRows, layout, records, dataRows);
  }
}
