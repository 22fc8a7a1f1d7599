import { Injectable } from '../common/injectable';
import csvParser from 'csv-parser';
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';
import { finished } from 'node:stream/promises';
import { ValidationError } from '../common/app-error';

/** The text encoding the file was read as. */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** The column separator detected from the header line (or from an Excel `sep=` first line). */
export type CsvDelimiter = ',' | ';' | '\t' | '|';

/** One data row of the file. */
export interface CsvRecord {
  /** 1-based data-row number: the header and ignored empty rows are not counted. */
  row: number;
  /** 1-based physical line of the file where the record starts (CRLF, CR and LF each end one line). */
  line: number;
  /** One value per `CsvTable.headers` entry, never trimmed; missing trailing cells are `''`. */
  values: string[];
  /** Set when the record is malformed or breaks a limit; `values` may then be partial (an oversized value is `''`). */
  error?: string;
}

/** A header the reader had to name differently from the file, so the API can say so. */
export interface RenamedHeader {
  /** 1-based column position in the file (dropped columns still count). */
  column: number;
  /** The trimmed header as written in the file (`''` for a blank header). */
  original: string;
  /** The name used in `CsvTable.headers`, e.g. `Email (2)` or `Column 4`. */
  renamed: string;
}

export interface CsvTable {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** Final, unique (case-insensitively) header names, one per kept column. */
  headers: string[];
  /** Duplicate headers renamed `Name (2)`… and blank headers with data named `Column N`, in column order. */
  renamedHeaders: RenamedHeader[];
  records: CsvRecord[];
}

/**
 * A file read once to check and count it, whose records are then handed out on demand: rebuilt from the file's text
 * (so that only the text is held, not the records, ~3× the text as strings), or with `keepCells` as first read.
 */
export interface CsvSource extends Omit<CsvTable, 'records'> {
  /** Data records (what `maxRows` counts). */
  rowCount: number;
  /** Per header: whether a record without an error has a non-blank value in that column. */
  hasValues: boolean[];
  /** Rows holding each column's first non-blank values (20 at most), enough for `MappingDetector.detect`. */
  samples: Array<Pick<CsvRecord, 'values'>>;
  /** The next records in file order (a thousand at most), or none once the file is done. */
  readonly next: () => SourceRecord[];
}

export interface CsvReadOptions {
  /** More data records than this rejects the whole file. */
  maxRows: number;
  /** A value with more UTF-8 bytes than this fails its record. */
  maxCellBytes: number;
  /**
   * `open` decodes every cell in its first pass and keeps them, instead of cutting them again from the text when
   * asked for: the cells take ~3× the text's memory (for speed, see `KEEP_CELLS_UP_TO_BYTES`).
   */
  keepCells: boolean;
}

export const DEFAULT_CSV_READ_OPTIONS: Readonly<CsvReadOptions> = {
  maxRows: 50_000,
  maxCellBytes: 1_048_576,
  keepCells: false,
};

const EMPTY_FILE = 'CSV file is empty';
const EMPTY_TEXT = Buffer.alloc(0);

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];
const DELIMITER_BYTES = DELIMITERS.map((delimiter) => delimiter.charCodeAt(0));
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const SNIFF_BYTES = 64 * 1024;
// The text is fed to csv-parser in chunks of at most 256 KB (~20 ms of parsing; the event loop runs between
// chunks), starting at 64 KB so that a too-long file stops early. While one record spans chunks (a huge value)
// each next chunk doubles, so csv-parser's re-concatenation of that record stays linear in its size.
const FIRST_CHUNK_BYTES = 64 * 1024;
const MAX_CHUNK_BYTES = 256 * 1024;

/**
 * Reads an uploaded CSV file into a table: detects the encoding, delimiter and line ends, parses with
 * csv-parser, names headers and reports malformed rows. Pure: no database, no HTTP.
 */
@Injectable()
export class CsvReader {
  /**
   * @throws ValidationError when the file is not CSV text, is empty (no header or no data row) or has more than
   * `maxRows` data records. Anything wrong with a single record is reported on that record instead.
   */
  async read(file: Buffer, options: Partial<CsvReadOptions> = {}): Promise<CsvTable> {
    const { next, rowCount, hasValues, samples, ...table } = await this.open(file, options);
    const records: CsvRecord[] = [];
    for (let chunk = next(); chunk.length > 0; chunk = next()) records.push(...chunk.map((record) => record.plain()));
    return { ...table, records };
  }

  /**
   * Reads the file through once, checking and counting its records (and letting other requests in between chunks),
   * and returns it ready to be read again record by record.
   * @throws ValidationError as `read` does.
   */
  async open(file: Buffer, options: Partial<CsvReadOptions> = {}): Promise<CsvSource> {
    const maxRows = options.maxRows ?? DEFAULT_CSV_READ_OPTIONS.maxRows;
    const maxCellBytes = options.maxCellBytes ?? DEFAULT_CSV_READ_OPTIONS.maxCellBytes;
    rejectKnownBinary(file);
    const { encoding, text } = decode(file);
    rejectControlCharacters(text);
    const dialect = detectDialect(text);
    const keepCells = options.keepCells ?? DEFAULT_CSV_READ_OPTIONS.keepCells;
    let scan: FileScan | undefined;
    await this.parse(text, dialect, maxRows, {
      keepCells,
      add: (raw, header) => {
        scan ??= new FileScan(header, maxCellBytes);
        scan.add(raw);
      },
      reads: (column) => scan?.learnsFrom(column) ?? true,
    });
    const layout = new TableLayout(scan!, maxCellBytes);
    // With every record's cells kept, the text is not needed any more: let it go.
    const records = new StoredRecords(keepCells ? EMPTY_TEXT : text, dialect.delimiter, scan!, layout);
    return {
      encoding,
      delimiter: dialect.delimiter,
      headers: layout.headers,
      renamedHeaders: layout.renamedHeaders,
      rowCount: scan!.rows,
      hasValues: layout.columns.map((column) => scan!.hasReadableValue[column]),
      samples: layout.samples(scan!),
      next: () => records.take(),
    };
  }

  /**
   * Byte offsets where the chunks fed to csv-parser end; a method so tests can cut the text anywhere. After each
   * chunk it is told whether a record is still open across it (no record ended in that chunk).
   */
  protected *chunkEnds(length: number): Generator<number, void, boolean | undefined> {
    let end = 0;
    let size = FIRST_CHUNK_BYTES;
    while (end < length) {
      end = Math.min(end + size, length);
      const spanning = yield end;
      size = spanning ? size * 2 : Math.min(size * 2, MAX_CHUNK_BYTES);
    }
  }

  /** The first pass: every data record goes to `sink`, with the header. */
  private async parse(text: Buffer, dialect: Dialect, maxRows: number, sink: RecordSink): Promise<void> {
    const collector = new RecordCollector(text, dialect, maxRows, sink);
    const parser = newParser(dialect, collector);
    const ends = this.chunkEnds(text.length);
    let start = 0;
    for (let next = ends.next(); !next.done;) {
      const end = next.value;
      const records = collector.records;
      // A copy, because csv-parser unescapes `""` in place and the original must stay intact for line numbers.
      if (end > start) parser.write(Buffer.from(text.subarray(start, end)));
      start = Math.max(start, end);
      if (collector.failed) {
        parser.destroy(); // the rest of the file cannot change the outcome
        collector.finish(); // throws the failure
        return;
      }
      // Parsing is synchronous: let other requests (health probes, reads) in between chunks.
      await new Promise((resolve) => setImmediate(resolve));
      next = ends.next(collector.records === records);
    }
    if (start < text.length) parser.write(Buffer.from(text.subarray(start)));
    parser.end();
    await finished(parser, { readable: false });
    collector.finish();
  }
}

function newParser(dialect: Dialect, collector: RecordCollector): csvParser.CsvParser {
  const parser = csvParser({
    headers: false, // header names like "__proto__" would be dropped; we name columns ourselves
    separator: dialect.delimiter,
    newline: dialect.lineBreak,
    skipLines: dialect.skipLines,
  }) as csvParser.CsvParser & ParserHooks;
  // Taking rows where csv-parser emits them skips its per-row objects and Node's readable buffer, which in
  // Node 20 gets quadratic once a chunk yields many thousands of rows; with nothing pushed, write() is synchronous.
  parser.writeRow = (cells, byteOffset) => collector.add(cells, byteOffset);
  const parseLine = parser.parseLine.bind(parser);
  parser.parseLine = (buffer, start, end) => {
    collector.startRecord(parser.bytesRead - buffer.length + end);
    parseLine(buffer, start, end);
  };
  parser.parseValue = (buffer, start, end) => collector.cell(buffer, start, end);
  return parser;
}

/** Where the first pass's data records go. */
interface RecordSink {
  /** Whether every record keeps its cells (`CsvReadOptions.keepCells`): then every cell is decoded. */
  keepCells: boolean;
  /** Receives each data record, with the header (which always comes first). */
  add(record: ReadRecord, header: HeaderRecord): void;
  /** Whether the first pass still learns from this column's values: if not, they need not be decoded. */
  reads(column: number): boolean;
}

/** Records handed out per `CsvSource.next()` call: ~10 ms of work. */
const RECORDS_PER_CALL = 1_000;

/**
 * A data record of `CsvSource.next`, checked and aligned to the headers, whose values are decoded only when asked
 * for: an import looks at every row's email, but cleans only the rows it writes (a re-import may write none).
 */
export class SourceRecord {
  constructor(
    /** 1-based data-row number, as `CsvRecord.row`. */
    readonly row: number,
    readonly line: number,
    readonly error: string | undefined,
    private readonly cells: RecordCells,
    private readonly layout: TableLayout,
    /** Headers whose value is oversized, so blanked. */
    private readonly blanked?: ReadonlySet<number>,
  ) {}

  /** The value under header `column` (never trimmed; `''` when missing, blanked, or no such header). */
  value(column: number): string {
    if (column < 0 || column >= this.layout.headers.length || this.blanked?.has(column)) return '';
    const cell = this.layout.cellOf(column);
    return cell < this.cells.length ? this.cells.value(cell) : '';
  }

  /** One value per header. */
  values(): string[] {
    const values: string[] = [];
    for (let column = 0; column < this.layout.headers.length; column++) values.push(this.value(column));
    return values;
  }

  plain(): CsvRecord {
    const { row, line, error } = this;
    return error === undefined ? { row, line, values: this.values() } : { row, line, values: this.values(), error };
  }
}

/** A record's cells, by position in the file's record. */
interface RecordCells {
  readonly length: number;
  value(cell: number): string;
  /** Whether the cell's value has more than `maxBytes` UTF-8 bytes. */
  exceeds(cell: number, maxBytes: number): boolean;
}

/** Cells the first pass kept as strings. */
class KeptCells implements RecordCells {
  constructor(private readonly cells: string[]) {}

  get length(): number {
    return this.cells.length;
  }

  value(cell: number): string {
    return this.cells[cell];
  }

  exceeds(cell: number, maxBytes: number): boolean {
    return isOversized(this.cells[cell], maxBytes);
  }
}

/** Cells as byte ranges of the text (`cellRanges`), each decoded when asked for, as csv-parser decodes it. */
class TextCells implements RecordCells {
  constructor(
    private readonly text: Buffer,
    /** Start and end of each cell, quotes included. */
    private readonly ranges: number[],
  ) {}

  get length(): number {
    return this.ranges.length / 2;
  }

  value(cell: number): string {
    return decodeCell(this.text, this.ranges[2 * cell], this.ranges[2 * cell + 1]);
  }

  exceeds(cell: number, maxBytes: number): boolean {
    // Unquoting only makes a value shorter, so most cells need no decoding to tell.
    if (this.ranges[2 * cell + 1] - this.ranges[2 * cell] <= maxBytes) return false;
    return isOversized(this.value(cell), maxBytes);
  }
}

/**
 * The records again, from the byte range the first pass kept of each: the file's text is all an import holds. A
 * record is cut into cells as csv-parser cuts it (`cellRanges`).
 */
class StoredRecords {
  private next = 0;
  private readonly delimiter: number;

  constructor(
    private readonly text: Buffer,
    delimiter: CsvDelimiter,
    private readonly scan: FileScan,
    private readonly layout: TableLayout,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  take(): SourceRecord[] {
    const { starts, ends, lines, errors, keptCells } = this.scan;
    const records: SourceRecord[] = [];
    const last = Math.min(this.next + RECORDS_PER_CALL, this.scan.rows);
    for (; this.next < last; this.next++) {
      const index = this.next;
      const kept = keptCells[index];
      keptCells[index] = undefined;
      const cells = kept
        ? new KeptCells(kept)
        : new TextCells(this.text, cellRanges(this.text, starts[index], ends[index], this.delimiter));
      records.push(this.layout.record(cells, lines[index], errors.get(index), index + 1));
    }
    return records;
  }
}

/**
 * The cells of one record, `start`..`end` of the text (line break excluded), exactly as csv-parser 3 makes them (its
 * `parseLine` and `parseCell`), which is not RFC 4180 for malformed text: a quote opens a quoted section anywhere,
 * only a quote followed by the delimiter closes it, and a cell loses its quotes only when it both starts and ends
 * with one. Each cell is decoded on its own, as csv-parser does: slices of a decoded line made cleaning and garbage
 * collection slower (+0.5 s for the 50 MB file).
 * `csv-reader.spec.ts` checks it against csv-parser itself.
 */
export function splitRecord(text: Buffer, start: number, end: number, delimiter: number): string[] {
  const ranges = cellRanges(text, start, end, delimiter);
  const cells: string[] = [];
  for (let i = 0; i < ranges.length; i += 2) cells.push(decodeCell(text, ranges[i], ranges[i + 1]));
  return cells;
}

/** Where `splitRecord`'s cells are in the text: the start and end of each, quotes included. */
function cellRanges(text: Buffer, start: number, end: number, delimiter: number): number[] {
  const ranges: number[] = [];
  let quoted = false;
  let offset = start;
  for (let i = start; i < end; i++) {
    const byte = text[i];
    if (byte === QUOTE) {
      if (!quoted) {
        quoted = true;
      } else if (i + 1 < end && text[i + 1] === delimiter) {
        quoted = false;
      } else if (i + 1 < end && text[i + 1] === QUOTE) {
        i++; // an escaped quote
      }
    } else if (byte === delimiter && !quoted) {
      ranges.push(offset, i);
      offset = i + 1;
    }
  }
  if (offset < end) ranges.push(offset, end);
  if (end > start && text[end - 1] === delimiter) ranges.push(end, end);
  return ranges;
}

function decodeCell(text: Buffer, start: number, end: number): string {
  if (text[start] === QUOTE && text[end - 1] === QUOTE) {
    start++;
    end--;
  }
  if (start >= end) return ''; // a lone quote was both the start and the end
  const value = text.toString('utf8', start, end);
  return value.includes('""') ? value.replace(/""/g, '"') : value;
}

/**
 * csv-parser 3's internal methods: every line (blank ones included) goes through `parseLine`, each of its cells
 * through `parseValue` (after unquoting, with the bytes of the buffer it reads), and the line's cells to `writeRow`.
 * `bytesRead` counts the bytes written so far; `buffer` ends with the last of them.
 */
interface ParserHooks {
  bytesRead: number;
  parseLine(buffer: Buffer, start: number, end: number): void;
  parseValue(buffer: Buffer, start: number, end: number): FirstPassCell;
  writeRow(cells: FirstPassCell[], byteOffset: number): void;
}

interface Dialect {
  delimiter: CsvDelimiter;
  lineBreak: '\n' | '\r';
  /** 1 when the file starts with Excel's `sep=;` line. */
  skipLines: number;
}

/** The header record. */
interface HeaderRecord {
  cells: string[];
  line: number;
}

/**
 * A cell of the first pass. Unless every record keeps its cells, a non-blank cell of a column the first pass no
 * longer learns from (`RecordSink.reads`) is not decoded: it is then its length in UTF-8 bytes, and never blank.
 * Decoding every cell took a fifth of the first pass on the 50 MB file.
 */
type FirstPassCell = string | number;

/** A data record as the first pass saw it, with where its text is. */
interface ReadRecord {
  cells: FirstPassCell[];
  line: number;
  error?: string;
  /** The cells as strings when the record keeps them (see `FileScan.keptCells`). */
  kept?: string[];
  /** Byte range of the record's text, line break excluded. */
  start: number;
  end: number;
}

function startsWith(file: Buffer, bytes: readonly number[]): boolean {
  return file.length >= bytes.length && bytes.every((byte, index) => file[index] === byte);
}

interface BinaryKind {
  name: string;
  advice: string;
}

const SPREADSHEET_ADVICE = 'Export it as CSV and upload that.';
const OTHER_ADVICE = 'Upload the leads as a CSV file instead.';

const SIGNATURES: ReadonlyArray<{ bytes: number[]; kind: BinaryKind }> = [
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: spreadsheet('an Excel .xls workbook') },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: other('a PDF document') },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: other('a PNG image') },
  { bytes: [0xff, 0xd8, 0xff], kind: other('a JPEG image') },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: other('a GIF image') },
  { bytes: [0x1f, 0x8b], kind: other('a gzip archive') },
];

function spreadsheet(name: string): BinaryKind {
  return { name, advice: SPREADSHEET_ADVICE };
}

function other(name: string): BinaryKind {
  return { name, advice: OTHER_ADVICE };
}

function rejectKnownBinary(file: Buffer): void {
  const kind = zipKind(file) ?? SIGNATURES.find(({ bytes }) => startsWith(file, bytes))?.kind;
  if (kind) throw notText(kind);
}

/** Spreadsheets saved in their own format are ZIP archives whose member names are stored as plain text. */
function zipKind(file: Buffer): BinaryKind | undefined {
  if (!startsWith(file, [0x50, 0x4b, 0x03, 0x04]) && !startsWith(file, [0x50, 0x4b, 0x05, 0x06])) return undefined;
  const head = file.subarray(0, SNIFF_BYTES).toString('latin1');
  if (head.includes('xl/')) return spreadsheet('an Excel .xlsx workbook');
  if (head.includes('opendocument.spreadsheet')) return spreadsheet('an OpenDocument .ods spreadsheet');
  return other('a ZIP archive');
}

/** Text has next to no C0 control bytes besides tab and line ends; a few NULs in cells are still data. */
function rejectControlCharacters(text: Buffer): void {
  const sample = text.subarray(0, SNIFF_BYTES);
  let controls = 0;
  for (const byte of sample) {
    if (byte < 0x20 && (byte < 0x09 || byte > 0x0d)) controls++;
  }
  if (controls >= 8 && controls > sample.length * 0.05) throw notText(other('binary data'));
}

function notText(kind: BinaryKind): ValidationError {
  return new ValidationError(`The file is not a CSV text file (it looks like ${kind.name}). ${kind.advice}`);
}

/** Returns the file as UTF-8 bytes: the input itself (minus a BOM) when it already is UTF-8, else one new buffer. */
function decode(file: Buffer): { encoding: CsvEncoding; text: Buffer } {
  if (startsWith(file, UTF8_BOM)) return { encoding: 'utf-8', text: file.subarray(UTF8_BOM.length) };
  const utf16 = utf16ByBom(file) ?? utf16ByNulPattern(file);
  if (utf16) return { encoding: utf16, text: toUtf8(file, utf16) };
  if (isUtf8(file)) return { encoding: 'utf-8', text: file };
  return { encoding: 'windows-1252', text: toUtf8(file, 'windows-1252') };
}

function toUtf8(file: Buffer, encoding: CsvEncoding): Buffer {
  return Buffer.from(iconv.decode(file, encoding), 'utf8'); // iconv-lite strips a UTF-16 BOM
}

function utf16ByBom(file: Buffer): CsvEncoding | undefined {
  if (startsWith(file, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(file, [0xfe, 0xff])) return 'utf-16be';
  return undefined;
}

/** Mostly-ASCII UTF-16 has a NUL in every other byte: the odd ones for little-endian, the even ones for big-endian. */
function utf16ByNulPattern(file: Buffer): CsvEncoding | undefined {
  const pairs = Math.floor(Math.min(file.length, SNIFF_BYTES) / 2);
  if (pairs < 2) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (file[i] === 0) evenNuls++;
    if (file[i + 1] === 0) oddNuls++;
  }
  if (oddNuls > pairs * 0.3 && evenNuls < pairs * 0.05) return 'utf-16le';
  if (evenNuls > pairs * 0.3 && oddNuls < pairs * 0.05) return 'utf-16be';
  return undefined;
}

function detectDialect(text: Buffer): Dialect {
  const lineBreak = detectLineBreak(text);
  const excelDelimiter = excelSeparatorLine(text);
  if (excelDelimiter) return { delimiter: excelDelimiter, lineBreak, skipLines: 1 };
  return { delimiter: detectDelimiter(text), lineBreak, skipLines: 0 };
}

/** Excel writes and honours a first line `sep=;` that names the delimiter and is not part of the data. */
function excelSeparatorLine(text: Buffer): CsvDelimiter | undefined {
  const match = /^sep=([,;\t|])(\r|\n|$)/i.exec(text.subarray(0, 6).toString('latin1'));
  return match ? (match[1] as CsvDelimiter) : undefined;
}

/**
 * The first line break outside quotes decides: a lone CR means an old-Mac file; LF and CRLF both parse as LF
 * (csv-parser drops the CR before an LF). csv-parser only detects CR itself when it reads the header row.
 */
function detectLineBreak(text: Buffer): '\n' | '\r' {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (byte === QUOTE) quoted = !quoted;
    else if (!quoted && byte === LF) return '\n';
    else if (!quoted && byte === CR) return text[i + 1] === LF ? '\n' : '\r';
  }
  return '\n';
}

/**
 * Counts each candidate outside quotes on the header line, i.e. the first line with anything besides blanks,
 * quotes and delimiters (Excel writes `;;;` for an empty first row). Most frequent wins; ties go to the
 * earlier of `,` `;` tab `|`, and a line with none of them is a single column read as `,`.
 */
function detectDelimiter(text: Buffer): CsvDelimiter {
  let counts = DELIMITERS.map(() => 0);
  let hasContent = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (byte === QUOTE) {
      quoted = !quoted;
    } else if (!quoted && (byte === LF || byte === CR)) {
      if (hasContent) break;
      counts = DELIMITERS.map(() => 0);
    } else {
      const delimiter = DELIMITER_BYTES.indexOf(byte);
      if (delimiter >= 0 && !quoted) counts[delimiter]++;
      else if (delimiter < 0 && !isBlankByte(byte)) hasContent = true;
    }
  }
  const best = Math.max(...counts);
  return best === 0 ? ',' : DELIMITERS[counts.indexOf(best)];
}

function isBlankByte(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

function allDecoded(cells: FirstPassCell[]): cells is string[] {
  return cells.every((cell) => typeof cell === 'string');
}

function isBlank(value: FirstPassCell): boolean {
  return typeof value === 'string' && value.trim() === '';
}

/**
 * Receives csv-parser's records in file order and keeps the header and the non-empty data records. Each record
 * is checked once the next one starts, because its byte range ends there. It is called from inside csv-parser,
 * so a file-level problem is kept in `failure` (and later records ignored) rather than thrown through it.
 */
class RecordCollector {
  private readonly lines: LineCounter;
  private readonly quotes: QuoteChecker;
  private readonly delimiter: number;
  private readonly lineBreak: number;
  /** The record csv-parser is cutting: the next cell's column, and where its cells' text ends. */
  private column = 0;
  private cellsEnd = 0;
  private pendingCells?: FirstPassCell[];
  private pendingOffset = 0;
  private pendingCellsEnd = 0;
  private header?: HeaderRecord;
  private rows = 0;
  private failure?: ValidationError;

  constructor(
    private readonly text: Buffer,
    dialect: Dialect,
    private readonly maxRows: number,
    private readonly sink: RecordSink,
  ) {
    this.lines = new LineCounter(text);
    this.quotes = new QuoteChecker(text, dialect);
    this.delimiter = dialect.delimiter.charCodeAt(0);
    this.lineBreak = dialect.lineBreak.charCodeAt(0);
  }

  /** Records (blank lines included) csv-parser has handed over so far. */
  records = 0;

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * csv-parser starts cutting a record whose line ends (line break included) at `lineEnd` of the text; its cells
   * end where csv-parser's `parseLine` makes them end: before the line break and, in LF mode, a CR before it.
   */
  startRecord(lineEnd: number): void {
    this.column = 0;
    let end = lineEnd - 1;
    if (this.lineBreak === LF && this.text[end - 1] === CR) end--;
    this.cellsEnd = end;
  }

  /** The next cell of the record, `start`..`end` of csv-parser's `buffer` (unquoted and unescaped). */
  cell(buffer: Buffer, start: number, end: number): FirstPassCell {
    const column = this.column++;
    if (end > start && !this.sink.keepCells && !this.sink.reads(column)) {
      // Any visible ASCII byte makes the value non-blank; else decode it to tell (Unicode spaces are blank too).
      for (let i = start; i < end; i++) {
        if (buffer[i] > 0x20 && buffer[i] < 0x7f) return end - start;
      }
    }
    return buffer.toString('utf8', start, end);
  }

  add(cells: FirstPassCell[], offset: number): void {
    this.records++;
    if (this.failure) return;
    if (this.pendingCells) this.failure = this.accept(this.pendingCells, this.pendingOffset, offset);
    this.pendingCells = cells;
    this.pendingOffset = offset;
    this.pendingCellsEnd = this.cellsEnd;
  }

  /** Checks the last record. @throws the file's failure, or that it has no header or no data row. */
  finish(): void {
    if (this.pendingCells && !this.failure) {
      this.failure = this.accept(this.pendingCells, this.pendingOffset, this.text.length);
    }
    if (this.failure) throw this.failure;
    if (!this.header || this.rows === 0) throw new ValidationError(EMPTY_FILE);
  }

  private accept(cells: FirstPassCell[], start: number, lineEnd: number): ValidationError | undefined {
    const line = this.lines.lineAt(start);
    const end = this.quotes.withoutLineBreak(start, lineEnd);
    // Without quotes csv-parser splits at every delimiter: nothing to check.
    const quoted = this.quotes.quoted(start, end);
    const problem = quoted ? this.quotes.check(start, end, cells.length) : undefined;
    const error = problem && describeQuoteProblem(problem, line);
    if (!error && cells.every(isBlank)) return undefined;
    if (!this.header) {
      if (error) return new ValidationError(`The header row cannot be read: ${error}`);
      this.header = { cells: this.decoded(cells, start), line };
    } else if (this.rows === this.maxRows) {
      return new ValidationError(`Maximum ${formatCount(this.maxRows)} leads per CSV file`);
    } else {
      this.rows++;
      // A record with a quote problem keeps csv-parser's cells: the second pass cuts a record without its line
      // break, which a quote left open at the end of the file has as its last character.
      const kept = this.sink.keepCells || error !== undefined ? this.decoded(cells, start) : undefined;
      this.sink.add({ cells, line, error, kept, start, end }, this.header);
    }
    return undefined;
  }

  /** The pending record's cells as strings: as they are if all were decoded, else cut from the text as csv-parser did. */
  private decoded(cells: FirstPassCell[], start: number): string[] {
    return allDecoded(cells) ? cells : splitRecord(this.text, start, this.pendingCellsEnd, this.delimiter);
  }
}

/** Finds the next occurrence of one byte; calls must come with non-decreasing `from`, so each search resumes. */
class ByteFinder {
  private found = -1;

  constructor(
    private readonly text: Buffer,
    private readonly byte: number,
  ) {}

  /** The first position at or after `from` holding the byte, or Infinity. */
  next(from: number): number {
    if (this.found < from) {
      const index = this.text.indexOf(this.byte, from);
      this.found = index < 0 ? Infinity : index;
    }
    return this.found;
  }
}

/** Physical line numbers of increasing byte offsets, counting CRLF, lone CR and LF as one break each. */
class LineCounter {
  private readonly crs: ByteFinder;
  private readonly lfs: ByteFinder;
  private position = 0;
  private line = 1;

  constructor(private readonly text: Buffer) {
    this.crs = new ByteFinder(text, CR);
    this.lfs = new ByteFinder(text, LF);
  }

  lineAt(offset: number): number {
    for (let cr = this.crs.next(this.position); cr < offset; cr = this.crs.next(cr + 1)) this.line++;
    for (let lf = this.lfs.next(this.position); lf < offset; lf = this.lfs.next(lf + 1)) {
      if (this.text[lf - 1] !== CR) this.line++;
    }
    this.position = offset;
    return this.line;
  }
}

type QuoteProblem = 'unclosed' | 'misplaced';

function describeQuoteProblem(problem: QuoteProblem, line: number): string {
  if (problem === 'unclosed') return `Unclosed quote in the record starting at line ${line}`;
  return (
    `Misplaced quote in the record starting at line ${line} ` +
    '(a value that contains quotes must be wrapped in quotes, with each inner quote doubled)'
  );
}

/**
 * Catches records csv-parser reads differently from what the file means. csv-parser treats any quote as
 * opening a quoted section and only closes it before a delimiter, so `Bob "Bo" Smith,x` becomes one cell and
 * an odd quote joins lines. Re-reading the record's bytes leniently (a quote quotes only at the start of a
 * value) and comparing the cell count exposes that; a quote still open at the end of the file is unclosed.
 */
class QuoteChecker {
  private readonly quotes: ByteFinder;
  private readonly delimiter: number;
  private readonly lineBreak: number;

  constructor(
    private readonly text: Buffer,
    dialect: Dialect,
  ) {
    this.quotes = new ByteFinder(text, QUOTE);
    this.delimiter = dialect.delimiter.charCodeAt(0);
    this.lineBreak = dialect.lineBreak.charCodeAt(0);
  }

  /** Whether the record's text, `start`..`end` without its line break, has a quote. */
  quoted(start: number, end: number): boolean {
    return this.quotes.next(start) < end;
  }

  /**
   * `start`..`end` is one record with a quote as csv-parser split it, line break excluded; `cells` is its cell
   * count. Called after `quoted` for the same record (the quote finder only moves forward).
   */
  check(start: number, end: number, cells: number): QuoteProblem | undefined {
    const text = this.text;
    let quotes = 0;
    let values = 1;
    let unclosed = false;
    let joinsLines = false;
    for (let i = start; ; i++, values++) {
      if (i < end && text[i] === QUOTE) {
        const close = this.closingQuote(i, end);
        quotes += close.quotes;
        if (close.at >= end) {
          unclosed = true;
          break;
        }
        i = close.at + 1;
      }
      // The rest of the value is literal, quotes included.
      for (; i < end && text[i] !== this.delimiter; i++) {
        if (text[i] === QUOTE) quotes++;
        else if (text[i] === this.lineBreak) joinsLines = true;
      }
      if (i >= end) break;
    }
    // csv-parser ends a record only where the quotes seen so far are even, so odd means it ran to the end.
    if (quotes % 2 === 1) return 'unclosed';
    return unclosed || joinsLines || values !== cells ? 'misplaced' : undefined;
  }

  /** From the quote opening a value, jumps past doubled quotes to the closing one (at Infinity if none). */
  private closingQuote(open: number, end: number): { at: number; quotes: number } {
    let quotes = 1;
    let at = this.quotes.next(open + 1);
    while (at + 1 < end && this.text[at + 1] === QUOTE) {
      quotes += 2;
      at = this.quotes.next(at + 2);
    }
    return { at, quotes: at < end ? quotes + 1 : quotes };
  }

  /** Mirrors csv-parser: it drops the record's line break and, in LF mode, one CR before it. */
  withoutLineBreak(start: number, end: number): number {
    if (end > start && this.text[end - 1] === this.lineBreak) end--;
    if (this.lineBreak === LF && end > start && this.text[end - 1] === CR) end--;
    return end;
  }
}

/** How many of a column's first non-blank values `MappingDetector` looks at. */
const SAMPLE_VALUES = 20;

/** What the first pass learns of the data records: where they are, and which columns hold values. */
class FileScan {
  rows = 0;
  /** Per record: the byte range of its text, its line and its quote error. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly lines: number[] = [];
  readonly errors = new Map<number, string>();
  /**
   * Cells kept from the first pass: every record's with `keepCells`, else only those of records with a quote problem
   * (few; an unclosed quote at the end of the file keeps its line break, which cutting the text again would drop).
   */
  readonly keptCells: Array<string[] | undefined> = [];
  /** Per header column: a record has a non-blank value there (errors or not): a blank header is then kept. */
  readonly hasData: boolean[];
  /** Per header column: a record without an error has a non-blank value there. */
  readonly hasReadableValue: boolean[];
  /** Per header column: its first non-blank values, as the table's records have them. */
  readonly firstValues: string[][];
  /** The header's cells, trimmed. */
  readonly names: string[];

  constructor(
    header: HeaderRecord,
    private readonly maxCellBytes: number,
  ) {
    this.names = header.cells.map((cell) => cell.trim());
    this.hasData = this.names.map(() => false);
    this.hasReadableValue = this.names.map(() => false);
    this.firstValues = this.names.map(() => []);
  }

  add(raw: ReadRecord): void {
    const index = this.rows++;
    this.starts.push(raw.start);
    this.ends.push(raw.end);
    this.lines.push(raw.line);
    if (raw.error !== undefined) this.errors.set(index, raw.error);
    if (raw.kept) this.keptCells[index] = raw.kept;
    const cells = raw.cells;
    const width = this.names.length;
    let oversized = false;
    for (let column = 0; column < width; column++) {
      if (isOversized(cells[column] ?? '', this.maxCellBytes)) oversized = true;
    }
    // As `TableLayout.record` will judge the record (without building its values here).
    const readable = raw.error === undefined && extraValuesError(cells, width) === undefined && !oversized;
    for (let column = 0; column < width; column++) {
      if (!this.learnsFrom(column)) continue;
      const cell = cells[column] ?? '';
      if (isBlank(cell)) continue;
      this.hasData[column] = true;
      if (oversized && isOversized(cell, this.maxCellBytes)) continue; // the record will have it blanked
      if (readable) this.hasReadableValue[column] = true;
      // A column the first pass learns from has its cells decoded (see FirstPassCell).
      if (typeof cell === 'string' && this.firstValues[column].length < SAMPLE_VALUES) {
        this.firstValues[column].push(cell);
      }
    }
  }

  /** Once a column has a readable value and all its samples, later records teach nothing about it. */
  learnsFrom(column: number): boolean {
    return (
      column < this.names.length &&
      !(this.hasReadableValue[column] && this.firstValues[column].length === SAMPLE_VALUES)
    );
  }
}

/** The table's columns — blank unused ones dropped, the rest named — and its records as the second pass reads them. */
class TableLayout {
  readonly columns: number[];
  readonly headers: string[];
  readonly renamedHeaders: RenamedHeader[];
  private readonly everyColumn: boolean;
  private readonly width: number;

  constructor(
    scan: FileScan,
    private readonly maxCellBytes: number,
  ) {
    const names = scan.names;
    this.width = names.length;
    this.columns = names.flatMap((name, column) => (name !== '' || scan.hasData[column] ? [column] : []));
    this.everyColumn = this.columns.length === names.length;
    ({ headers: this.headers, renamedHeaders: this.renamedHeaders } = nameColumns(names, this.columns));
  }

  /** The record's cell under header `column`. */
  cellOf(column: number): number {
    return this.everyColumn ? column : this.columns[column];
  }

  /** A checked record aligned to the headers; `row` is its 1-based number among data records. */
  record(cells: RecordCells, line: number, quoteError: string | undefined, row: number): SourceRecord {
    // An oversized value is blanked, also on a row that failed otherwise, so that huge cells go no further.
    let blanked: Set<number> | undefined;
    for (let column = 0; column < this.headers.length; column++) {
      const cell = this.cellOf(column);
      if (cell < cells.length && cells.exceeds(cell, this.maxCellBytes)) (blanked ??= new Set()).add(column);
    }
    const oversized = blanked && this.oversizedValueError(blanked);
    const error = quoteError ?? extraValuesError(cells, this.width) ?? oversized;
    return new SourceRecord(row, line, error, cells, this, blanked);
  }

  /** Names the first oversized column. */
  private oversizedValueError(blanked: Set<number>): string {
    const first = this.headers[Math.min(...blanked)];
    return `Value in column "${first}" is larger than ${formatBytes(this.maxCellBytes)}`;
  }

  /** Rows whose values are each kept column's first non-blank values, in order. */
  samples(scan: FileScan): Array<Pick<CsvRecord, 'values'>> {
    return Array.from({ length: SAMPLE_VALUES }, (_, index) => ({
      values: this.columns.map((column) => scan.firstValues[column][index] ?? ''),
    }));
  }
}

/** Blank headers become `Column N`; a repeated name (case-insensitive) becomes `Name (2)`, `Name (3)`… */
function nameColumns(names: string[], columns: number[]): Pick<CsvTable, 'headers' | 'renamedHeaders'> {
  const wanted = columns.map((column) => names[column] || `Column ${column + 1}`);
  const taken = new Set<string>();
  const repeated = wanted.map((name) => {
    const key = name.toLowerCase();
    if (taken.has(key)) return true;
    taken.add(key);
    return false;
  });
  const renamedHeaders: RenamedHeader[] = [];
  const headers = wanted.map((name, index) => {
    let renamed = name;
    if (repeated[index]) {
      for (let n = 2; taken.has(renamed.toLowerCase()); n++) renamed = `${name} (${n})`;
      taken.add(renamed.toLowerCase());
    }
    const original = names[columns[index]];
    if (renamed !== original) renamedHeaders.push({ column: columns[index] + 1, original, renamed });
    return renamed;
  });
  return { headers, renamedHeaders };
}

/** Cells past the header are fine when blank (exports often end rows with extra delimiters). */
function extraValuesError(cells: FirstPassCell[] | RecordCells, headerWidth: number): string | undefined {
  if (cells.length <= headerWidth) return undefined;
  const cell = (index: number) => (Array.isArray(cells) ? cells[index] : cells.value(index));
  let last = cells.length - 1;
  while (last >= headerWidth && isBlank(cell(last))) last--;
  if (last < headerWidth) return undefined;
  return `Row has ${plural(last + 1, 'value')} but the header has ${plural(headerWidth, 'column')}`;
}

function isOversized(value: FirstPassCell, maxCellBytes: number): boolean {
  if (typeof value === 'number') return value > maxCellBytes;
  // A UTF-16 code unit takes at most 3 UTF-8 bytes, so most values need no byte count at all.
  return value.length * 3 > maxCellBytes && Buffer.byteLength(value, 'utf8') > maxCellBytes;
}

function formatCount(count: number): string {
  return new Intl.NumberFormat('en-US').format(count);
}

function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return plural(bytes, 'byte');
}
