/**
 * Opens an uploaded CSV file for the import: decodes and sniffs it, finds the header (below a preamble if need be),
 * enforces the row limit with the pre-pass, reads the first rows (enough to decide the mapping), and hands the rest
 * out as a stream of rows. Pure: no database.
 */
import { Injectable } from '@nestjs/common';
import { ValidationError } from '../../common/app-error';
import { formatBytes } from '../../common/text';
import { ColumnLayout, CsvRow, RenamedHeader } from './column-layout';
import { parseRecords, ParsedRecord } from './csv-records';
import { CsvDelimiter, CsvDialect, detectDialect, rejectControlCharacters, rejectKnownBinary } from './csv-sniffer';
import { decodeUpload } from './encoding';
import { findHeaderRow, HEADER_SEARCH_RECORDS } from './header-row';
import { RecordScan, scanRecords, tooManyRows } from './record-scan';

export interface CsvReadOptions {
  /** More data rows than this rejects the whole file. */
  maxRows: number;
  /** A value with more UTF-8 bytes than this fails its row. */
  maxCellBytes: number;
  /** A row whose values have more UTF-8 bytes than this fails (a lead or error row must fit one SQL statement). */
  maxRowBytes: number;
  /** A record (header or row) with more cells than this rejects the whole file. */
  maxColumns: number;
  /** A header whose cells have more UTF-8 bytes than this rejects the whole file (the import record keeps it). */
  maxHeaderBytes: number;
  /** About how many bytes of whole records csv-parser is given at once. */
  chunkBytes: number;
  /** An encoding label (the `encoding` form field) instead of detection. */
  encoding?: string;
}

export const DEFAULT_CSV_READ_OPTIONS: Readonly<CsvReadOptions> = {
  maxRows: 50_000,
  maxCellBytes: 1_048_576,
  maxRowBytes: 4_194_304,
  // More than any spreadsheet holds (Excel 16,384 columns, Google Sheets 18,278).
  maxColumns: 20_000,
  maxHeaderBytes: 262_144,
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

/** What the file was read as. */
export interface FileReading {
  /** The encoding's label, e.g. `utf-8`, `windows-1251`, `shift_jis`. */
  encoding: string;
  /** 1 when certain (a BOM, valid UTF-8, the `encoding` field); the detector's score for a guess. */
  encodingConfidence: number;
  delimiter: CsvDelimiter;
  /** 1-based line of the header: below 1 when a preamble (title lines, notes) sits above it. */
  headerLine: number;
  /** Things the reader wants the caller to know (a guessed encoding that left unreadable characters). */
  warnings: string[];
}

/** An opened file: its header and first rows are read, the rest is read as `rows()` is iterated (once). */
export class CsvFile {
  private finished = false;

  constructor(
    readonly reading: FileReading,
    /** One unique name per column. */
    readonly headers: string[],
    /** The header record's cells as csv-parser cut them. */
    readonly headerCells: string[],
    /** The first data rows (up to FIRST_ROWS), also the start of `rows()`. */
    readonly firstRows: CsvRow[],
    private readonly layout: ColumnLayout,
    private readonly rest: AsyncIterator<ParsedRecord[]>,
    private readonly countedRows: number,
  ) {}

  /** Data rows in the file: exact once `rows()` has been read to the end, before that the pre-pass's count. */
  get totalRows(): number {
    return this.finished ? this.layout.rowCount : this.countedRows;
  }

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
    const { maxRows, maxCellBytes, maxRowBytes, maxColumns, maxHeaderBytes, chunkBytes } = {
      ...DEFAULT_CSV_READ_OPTIONS,
      ...options,
    };
    rejectKnownBinary(file);
    const decoded = decodeUpload(file, options.encoding);
    const text = decoded.text;
    rejectControlCharacters(text);
    const dialect = detectDialect(text);
    // The header may sit below a preamble of at most HEADER_SEARCH_RECORDS - 1 records, which are not rows.
    const limits = { maxRows, recordsAbove: HEADER_SEARCH_RECORDS, maxColumns };
    const scan = scanRecords(text, dialect, limits, chunkBytes);

    const records = parseRecords(text, dialect, scan.chunks);
    const read: ParsedRecord[] = [];
    const readMore = async () => {
      const next = await records.next();
      if (!next.done) read.push(...next.value);
      return !next.done;
    };
    while (read.length < HEADER_SEARCH_RECORDS && (await readMore()));
    if (read.length === 0) throw new ValidationError(EMPTY_FILE);
    const headerIndex = findHeaderRow(read);
    const header = read[headerIndex];
    read.splice(0, headerIndex + 1);
    if (header.error !== undefined) throw new ValidationError(`The header row cannot be read: ${header.error}`);
    checkHeaderSize(header, maxHeaderBytes);
    const dataRows = await countDataRows(text, dialect, scan, headerIndex + 1, maxRows);
    while (read.length < FIRST_ROWS && (await readMore()));
    if (read.length === 0) throw new ValidationError(EMPTY_FILE);

    const layout = new ColumnLayout(header.cells, maxCellBytes, maxRowBytes);
    const firstRows = read.map((record) => layout.toRow(record));
    const reading: FileReading = {
      encoding: decoded.encoding,
      encodingConfidence: decoded.confidence,
      delimiter: dialect.delimiter,
      headerLine: header.line,
      warnings: decoded.warnings,
    };
    return new CsvFile(reading, layout.headers, header.cells, firstRows, layout, records, dataRows);
  }
}

/** @throws ValidationError for a header larger than `maxHeaderBytes`: it is data, or names no import could use. */
function checkHeaderSize(header: ParsedRecord, maxHeaderBytes: number): void {
  let bytes = 0;
  for (const cell of header.cells) bytes += Buffer.byteLength(cell, 'utf8');
  if (bytes <= maxHeaderBytes) return;
  throw new ValidationError(
    `The header row (line ${header.line}) is larger than ${formatBytes(maxHeaderBytes)}. Make sure the file starts ` +
      'with a row of column names (not data) and shorten long names, then upload it again.',
  );
}

/**
 * The data rows (records after the header's `aboveRows`), or the row limit's error. The pre-pass knows the count
 * unless records that may be blank decide it: then csv-parser counts them, in the scan's chunks (given the whole text
 * at once, it would hold every row of it).
 */
async function countDataRows(
  text: Buffer,
  dialect: CsvDialect,
  { records, chunks }: RecordScan,
  aboveRows: number,
  maxRows: number,
): Promise<number> {
  if (records.sure - aboveRows > maxRows) throw tooManyRows(maxRows);
  const atMost = records.sure + records.maybe - aboveRows;
  if (atMost <= maxRows) return atMost;
  let exact = 0;
  for await (const counted of parseRecords(text, dialect, chunks)) exact += counted.length;
  if (exact - aboveRows > maxRows) throw tooManyRows(maxRows);
  return exact - aboveRows;
}
