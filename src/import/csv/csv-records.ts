/**
 * The one tokenizer: csv-parser, through its documented options and events, over the decoded text. Yields the file's
 * non-blank records in order, each with the physical line it starts on and its quote problem, if any.
 */
import csvParser from 'csv-parser';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CsvDialect } from './csv-sniffer';
import { LineCounter } from './line-counter';
import { describeQuoteProblem, QuoteChecker } from './quote-check';

/** A non-blank record of the file, as csv-parser cut it. */
export interface ParsedRecord {
  /** The cells, never trimmed. */
  cells: string[];
  /** 1-based physical line where the record starts (CRLF, CR and LF each end one line). */
  line: number;
  /** Set when the record's quotes are malformed: csv-parser's cells then differ from what the file meant. */
  error?: string;
}

interface ParserOutput {
  row: Record<number, string>;
  byteOffset: number;
}

export function createParser(dialect: CsvDialect): csvParser.CsvParser {
  return csvParser({
    headers: false, // header names like "__proto__" would be dropped; columns are named by ColumnLayout
    separator: dialect.delimiter,
    newline: dialect.lineBreak,
    skipLines: dialect.skipLines,
    outputByteOffset: true,
  });
}

/** A record with a non-blank cell (Unicode spaces are blank too). */
export function hasValue(cells: readonly string[]): boolean {
  return cells.some((cell) => cell.trim() !== '');
}

/** A stretch of the text given to csv-parser at once: whole records, from `start` up to (not including) `end`. */
export interface TextChunk {
  start: number;
  end: number;
}

/**
 * The records of `text`, fed to csv-parser in `chunks`. The text between two chunks is never given to csv-parser: it
 * must be blank records (see scanRecords). Records are yielded in arrays, one per stretch of the file, so that later
 * stages work a few hundred records at a time.
 */
export async function* parseRecords(
  text: Buffer,
  dialect: CsvDialect,
  chunks: readonly TextChunk[],
): AsyncGenerator<ParsedRecord[]> {
  const lines = new LineCounter(text);
  const quotes = new QuoteChecker(text, dialect);
  const parser = createParser(dialect);
  let failure: Error | undefined;
  parser.on('error', (error) => (failure ??= error));
  // A record's quotes can be checked once its end is known, i.e. when the next record starts.
  let pending: { cells: string[]; start: number } | undefined;
  let records: ParsedRecord[] = [];
  const settle = (end: number) => {
    if (!pending) return;
    const { cells, start } = pending;
    pending = undefined;
    const problem = quotes.check(start, end, cells.length);
    if (problem !== undefined || hasValue(cells)) {
      const line = lines.lineAt(start);
      const record: ParsedRecord = { cells, line };
      if (problem !== undefined) record.error = describeQuoteProblem(problem, line);
      records.push(record);
    }
  };
  // csv-parser counts the bytes it was given: the records a chunk's write gives start in that chunk.
  let fed = 0;
  let chunk: TextChunk = { start: 0, end: 0 };
  let chunkFed = 0;
  let rowsThisTurn = 0;
  // The rows of a chunk are read() as soon as it is written, in the same turn: iterating the stream with for-await
  // would cost a promise per record.
  const take = () => {
    const next = () => parser.read() as ParserOutput | null;
    for (let output = next(); output !== null; output = next()) {
      rowsThisTurn++;
      const start = chunk.start + output.byteOffset - chunkFed;
      settle(start);
      pending = { cells: Object.values(output.row), start };
    }
    if (failure) throw failure;
  };
  for (const next of chunks) {
    if (next.start > chunk.end) {
      // Blank records csv-parser is not given: the record before them ends where they start.
      settle(chunk.end);
      lines.skipTo(next.start);
    }
    chunk = next;
    chunkFed = fed;
    fed += chunk.end - chunk.start;
    // A copy, because csv-parser unescapes `""` in place and the text must stay intact for quote checks.
    parser.write(Buffer.from(text.subarray(chunk.start, chunk.end)));
    take();
    if (records.length >= RECORDS_PER_YIELD) {
      yield records;
      records = [];
    }
    // Rows that are no records (blank ones the pre-pass left in, rows it could not judge) are never handed on: the
    // event loop still gets its turns while they are parsed.
    if (rowsThisTurn >= ROWS_PER_TURN) {
      rowsThisTurn = 0;
      await nextTurn();
    }
  }
  // The last record is parsed when the input ends.
  await finished(parser.end(), { readable: false });
  take();
  settle(chunk.end);
  if (records.length > 0) yield records;
}

/** Records handed on at once: a few milliseconds of work for the stages after the reader. */
const RECORDS_PER_YIELD = 250;
/** csv-parser rows, blank ones included, parsed between two turns of the event loop: a few milliseconds' worth. */
const ROWS_PER_TURN = 5_000;
