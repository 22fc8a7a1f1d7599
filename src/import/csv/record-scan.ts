/**
 * The quote-aware pre-pass over the bytes: where csv-parser will end each record, found without cutting cells.
 * csv-parser ends a record at a line break read outside quotes, and each quote it reads flips "inside quotes" (a
 * doubled quote flips twice), so a line break ends a record exactly when the quotes before it are even. The pass
 * enforces the row limit before anything is written, and tells where whole records end so that csv-parser can be fed
 * whole records (a record split across chunks is re-concatenated by csv-parser at every chunk).
 */
import { ValidationError } from '../../common/app-error';
import { formatCount } from '../../common/text';
import { ByteFinder } from './byte-finder';
import { CsvDialect, isBlankByte, QUOTE } from './csv-sniffer';

export interface RecordScan {
  /** Data records: exact, or (when blank-looking records were not counted exactly) an upper bound. */
  dataRows: number;
  /** Offsets where the chunks fed to csv-parser end: each after a record's line break, the last at the text's end. */
  chunkEnds: number[];
}

/** Whether a record has a value: surely (a visible ASCII byte), maybe (only quotes or non-ASCII bytes), or not. */
const enum Content {
  None,
  Maybe,
  Sure,
}

/**
 * @throws ValidationError when the file has more than `maxRows` data records (non-blank records after the header).
 * Records that may or may not be blank (only quotes, delimiters, whitespace or non-ASCII bytes) are counted exactly by
 * csv-parser itself, through `countRecords`, only when they decide the outcome.
 */
export async function scanRecords(
  text: Buffer,
  dialect: CsvDialect,
  maxRows: number,
  chunkBytes: number,
  countRecords: () => Promise<number>,
): Promise<RecordScan> {
  const lineBreak = dialect.lineBreak.charCodeAt(0);
  const delimiter = dialect.delimiter.charCodeAt(0);
  const quotes = new ByteFinder(text, QUOTE);
  const chunkEnds: number[] = [];
  let sure = 0;
  let maybe = 0;
  let skip = dialect.skipLines;
  let start = 0;
  let position = 0;
  let even = true;
  while (start < text.length) {
    const found = text.indexOf(lineBreak, position);
    const lineEnd = found < 0 ? text.length : found;
    for (let quote = quotes.next(position); quote < lineEnd; quote = quotes.next(quote + 1)) even = !even;
    if (!even && found >= 0) {
      position = found + 1; // a line break inside quotes
      continue;
    }
    const end = found < 0 ? text.length : found + 1;
    if (skip > 0) skip--;
    else {
      const content = contentOf(text, start, lineEnd, delimiter);
      if (content === Content.Sure && ++sure - 1 > maxRows) throw tooManyRows(maxRows);
      if (content === Content.Maybe) maybe++;
    }
    if (end - (chunkEnds.at(-1) ?? 0) >= chunkBytes) chunkEnds.push(end);
    start = position = end;
  }
  if ((chunkEnds.at(-1) ?? 0) < text.length) chunkEnds.push(text.length);
  let records = sure + maybe;
  if (maybe > 0 && records - 1 > maxRows) {
    records = await countRecords();
    if (records - 1 > maxRows) throw tooManyRows(maxRows);
  }
  return { dataRows: Math.max(0, records - 1), chunkEnds };
}

function contentOf(text: Buffer, start: number, end: number, delimiter: number): Content {
  let content = Content.None;
  for (let i = start; i < end; i++) {
    const byte = text[i];
    if (byte === delimiter || isBlankByte(byte)) continue;
    if (byte !== QUOTE && byte < 0x80) return Content.Sure;
    content = Content.Maybe;
  }
  return content;
}

function tooManyRows(maxRows: number): ValidationError {
  return new ValidationError(`Maximum ${formatCount(maxRows)} leads per CSV file`);
}
