/**
 * Catches records that csv-parser reads differently from what the file means. csv-parser treats any quote as opening
 * a quoted section and only closes it before a delimiter, so `Bob "Bo" Smith,x` becomes one cell and an odd quote
 * joins lines. Reading the record's bytes leniently (a quote quotes only at the start of a value) and comparing the
 * value count with csv-parser's cell count exposes that; a quote still open at the end of the file is unclosed.
 * It only validates: the cells are always csv-parser's.
 */
import { ByteFinder } from './byte-finder';
import { CR, CsvDialect, LF, QUOTE } from './csv-sniffer';

export function describeQuoteProblem(problem: 'unclosed' | 'misplaced', line: number): string {
  if (problem === 'unclosed') return `Unclosed quote in the record starting at line ${line}`;
  return (
    `Misplaced quote in the record starting at line ${line} ` +
    '(a value that contains quotes must be wrapped in quotes, with each inner quote doubled)'
  );
}

export class QuoteChecker {
  private readonly quotes: ByteFinder;
  private readonly delimiter: number;
  private readonly lineBreak: number;

  constructor(
    private readonly text: Buffer,
    dialect: CsvDialect,
  ) {
    this.quotes = new ByteFinder(text, QUOTE);
    this.delimiter = dialect.delimiter.charCodeAt(0);
    this.lineBreak = dialect.lineBreak.charCodeAt(0);
  }

  /**
   * The problem of the record at `start`..`lineEnd` of the text (line break included), which csv-parser cut into
   * `cells` cells, if it has one. Records must come in file order (the quote finder only moves forward).
   */
  check(start: number, lineEnd: number, cells: number): 'unclosed' | 'misplaced' | undefined {
    const end = this.withoutLineBreak(start, lineEnd);
    // Without quotes csv-parser splits at every delimiter: nothing to check.
    if (this.quotes.next(start) >= end) return undefined;
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

  /** As csv-parser cuts a record: without its line break and, in LF mode, one CR before it. */
  private withoutLineBreak(start: number, end: number): number {
    if (end > start && this.text[end - 1] === this.lineBreak) end--;
    if (this.lineBreak === LF && end > start && this.text[end - 1] === CR) end--;
    return end;
  }
}
