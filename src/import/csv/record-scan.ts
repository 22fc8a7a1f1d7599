/**
 * The quote-aware pre-pass over the bytes: where csv-parser will end each record, found without cutting cells.
 * csv-parser ends a record at a line break read outside quotes, and each quote it reads flips "inside quotes" (a
 * doubled quote flips twice), so a line break ends a record exactly when the quotes before it are even. The pass
 * counts records for the row limit and refuses records wider than the column limit before anything is written or
 * parsed, and tells where whole records end so that csv-parser can be fed whole records (a record split across
 * chunks is re-concatenated by csv-parser at every chunk).
 */
import { ValidationError } from '../../common/app-error';
import { formatCount } from '../../common/text';
import { ByteFinder } from './byte-finder';
import { blankLineBytes, CR, CsvDialect, isBlankByte, LF, QUOTE, skipBytes } from './csv-sniffer';
import type { TextChunk } from './csv-records';
import { lineOf } from './line-counter';

export interface RecordScan {
  /** Non-blank records (header and preamble included), the ones that are surely so and those that may be. */
  records: { sure: number; maybe: number };
  /** What csv-parser is given, in order: whole records, each chunk about `chunkBytes`; runs of blank records left out. */
  chunks: TextChunk[];
}

/** A run of blank records this long or longer is left out of what csv-parser reads; a shorter one is cheaper to parse. */
const MIN_SKIPPED_BYTES = 64;

/**
 * Whether a record has a value: surely (a visible ASCII byte), maybe (quotes csv-parser might read as a value, or other
 * non-ASCII characters), or not (whitespace, Unicode spaces too, delimiters and quoted blanks).
 */
const enum Content {
  None,
  Maybe,
  Sure,
}

/** The row limit, how many records may sit above the data rows (a header below a preamble), the column limit. */
export interface ScanLimits {
  maxRows: number;
  recordsAbove: number;
  /** No record (header or row) may have more cells: csv-parser cuts a record in one go, however wide. */
  maxColumns: number;
}

/**
 * Scans the text; stops early with the row limit's error once more than `maxRows + recordsAbove` records surely have
 * a value, and with the column limit's error at the first record wider than `maxColumns`. The records that may be
 * blank (see Content) are counted exactly by csv-parser when they decide the row limit (see CsvReader).
 */
export function scanRecords(text: Buffer, dialect: CsvDialect, limit: ScanLimits, chunkBytes: number): RecordScan {
  const maxRecords = limit.maxRows + limit.recordsAbove;
  const lineBreak = dialect.lineBreak.charCodeAt(0);
  const delimiter = dialect.delimiter.charCodeAt(0);
  const quotes = new ByteFinder(text, QUOTE);
  const blank = blankLineBytes([delimiter]);
  const chunks: TextChunk[] = [];
  let chunkStart = 0;
  // Where the run of blank records before the current one started: a long run is left out of the chunks.
  let blankFrom: number | undefined;
  const endBlankRun = (at: number) => {
    if (blankFrom !== undefined && at - blankFrom >= MIN_SKIPPED_BYTES) {
      if (blankFrom > chunkStart) chunks.push({ start: chunkStart, end: blankFrom });
      chunkStart = at;
    }
    blankFrom = undefined;
  };
  let sure = 0;
  let maybe = 0;
  let skip = dialect.skipLines;
  let start = 0;
  let position = 0;
  let even = true;
  while (start < text.length) {
    if (start === position && skip === 0) {
      // Blank lines are passed over a byte at a time: a file of millions of them costs one loop, not a search each.
      const next = afterBlankRecords(text, start, lineBreak, blank);
      if (next > start) blankFrom ??= start;
      start = position = next;
      if (start === text.length) break;
    }
    const found = text.indexOf(lineBreak, position);
    const lineEnd = found < 0 ? text.length : found;
    for (let quote = quotes.next(position); quote < lineEnd; quote = quotes.next(quote + 1)) even = !even;
    if (!even && found >= 0) {
      position = found + 1; // a line break inside quotes
      continue;
    }
    const end = found < 0 ? text.length : found + 1;
    let content = Content.Sure; // csv-parser must be given the lines it skips (skipLines)
    if (skip > 0) skip--;
    else {
      // A record of more cells than bytes cannot be: only long ones are counted.
      if (lineEnd - start >= limit.maxColumns) checkColumns(text, start, lineEnd, delimiter, limit.maxColumns);
      content = contentOf(text, start, recordEnd(text, start, lineEnd, lineBreak), delimiter);
      if (content === Content.Sure && ++sure > maxRecords) throw tooManyRows(limit.maxRows);
      if (content === Content.Maybe) maybe++;
    }
    if (content === Content.None) blankFrom ??= start;
    else {
      endBlankRun(start);
      if (end - chunkStart >= chunkBytes) {
        chunks.push({ start: chunkStart, end });
        chunkStart = end;
      }
    }
    start = position = end;
  }
  endBlankRun(text.length);
  if (chunkStart < text.length) chunks.push({ start: chunkStart, end: text.length });
  return { records: { sure, maybe }, chunks };
}

/**
 * Where the first record with something besides whitespace and delimiters starts, from `start` (a record's start) on:
 * the records before it are blank.
 */
function afterBlankRecords(text: Buffer, start: number, lineBreak: number, blank: Uint8Array): number {
  const visible = skipBytes(text, start, blank);
  if (visible === start || visible === text.length) return visible;
  const lastBreak = text.lastIndexOf(lineBreak, visible - 1);
  return lastBreak < start ? start : lastBreak + 1;
}

/** Where csv-parser's cells of a record ending at `lineEnd` end: it drops the CR of a CRLF line break. */
function recordEnd(text: Buffer, start: number, lineEnd: number, lineBreak: number): number {
  return lineBreak === LF && lineEnd > start && text[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
}

function contentOf(text: Buffer, start: number, end: number, delimiter: number): Content {
  let quotes = false;
  let nonAscii = false;
  for (let i = start; i < end; i++) {
    const byte = text[i];
    if (byte === delimiter || isBlankByte(byte)) continue;
    if (byte === QUOTE) quotes = true;
    else if (byte < 0x80) return Content.Sure;
    else {
      const blank = blankCharBytes(text, i);
      if (blank > 0) i += blank - 1;
      else nonAscii = true;
    }
  }
  if (nonAscii || (quotes && !onlyQuotedBlanks(text, start, end, delimiter))) return Content.Maybe;
  return Content.None;
}

/**
 * The UTF-8 length of the character at `i` if JavaScript's `trim` removes it (as csv-parser's blank check does), else
 * 0: U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
 */
function blankCharBytes(text: Buffer, i: number): number {
  const [first, second, third] = [text[i], text[i + 1], text[i + 2]];
  if (first === 0xc2) return second === 0xa0 ? 2 : 0;
  if (first === 0xe1) return second === 0x9a && third === 0x80 ? 3 : 0;
  if (first === 0xe2 && second === 0x80) {
    return (third >= 0x80 && third <= 0x8a) || third === 0xa8 || third === 0xa9 || third === 0xaf ? 3 : 0;
  }
  if (first === 0xe2) return second === 0x81 && third === 0x9f ? 3 : 0;
  if (first === 0xe3) return second === 0x80 && third === 0x80 ? 3 : 0;
  if (first === 0xef) return second === 0xbb && third === 0xbf ? 3 : 0;
  return 0;
}

/**
 * Whether each cell of a record of only quotes, delimiters and whitespace is blank or a quoted blank (`""`, `" "`):
 * csv-parser then reads no value from it (`""""` is a quote, `" ""` keeps its quotes, `","` is a delimiter).
 */
function onlyQuotedBlanks(text: Buffer, start: number, end: number, delimiter: number): boolean {
  let cellStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && text[i] !== delimiter) continue;
    // A cell's quotes may only be its first and last bytes (two of them).
    const quoted = i - cellStart >= 2 && text[cellStart] === QUOTE && text[i - 1] === QUOTE;
    const to = quoted ? i - 1 : i;
    for (let j = quoted ? cellStart + 1 : cellStart; j < to; j++) if (text[j] === QUOTE) return false;
    cellStart = i + 1;
  }
  return true;
}

/** @throws the column limit's error when csv-parser would cut the record into more than `maxColumns` cells. */
function checkColumns(text: Buffer, start: number, end: number, delimiter: number, maxColumns: number): void {
  let cells = 1;
  let quoted = false;
  for (let i = start; i < end; i++) {
    if (text[i] === QUOTE) quoted = !quoted;
    else if (text[i] === delimiter && !quoted) cells++;
  }
  if (cells <= maxColumns) return;
  throw new ValidationError(
    `Line ${lineOf(text, start)} has ${formatCount(cells)} columns; a CSV file may have at most ` +
      `${formatCount(maxColumns)}. Delete the empty or unused columns (in a spreadsheet: the columns right of your ` +
      'data) and upload the file again.',
  );
}

/** The row limit's error: `maxRows` is the limit on data rows. */
export function tooManyRows(maxRows: number): ValidationError {
  return new ValidationError(`Maximum ${formatCount(maxRows)} leads per CSV file`);
}
