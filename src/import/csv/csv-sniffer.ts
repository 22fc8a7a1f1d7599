/**
 * Sniffing: what an upload is before it is parsed. Refuses files that are not CSV text and finds the dialect:
 * delimiter, line break and an Excel `sep=` line (the encoding is encoding.ts's).
 */
import { ValidationError } from '../../common/app-error';

/** The column separator detected from the header line (or from an Excel `sep=` first line). */
export type CsvDelimiter = ',' | ';' | '\t' | '|';

export interface CsvDialect {
  delimiter: CsvDelimiter;
  lineBreak: '\n' | '\r';
  /** 1 when the file starts with Excel's `sep=;` line, which is not data. */
  skipLines: number;
}

export const QUOTE = 0x22;
export const LF = 0x0a;
export const CR = 0x0d;

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];
const DELIMITER_BYTES = DELIMITERS.map((delimiter) => delimiter.charCodeAt(0));
const SNIFF_BYTES = 64 * 1024;
const DELIMITER_SNIFF_BYTES = 1024 * 1024;

interface BinaryKind {
  name: string;
  advice: string;
}

const SPREADSHEET_ADVICE = 'Export it as CSV and upload that.';
const OTHER_ADVICE = 'Upload the leads as a CSV file instead.';

const spreadsheet = (name: string): BinaryKind => ({ name, advice: SPREADSHEET_ADVICE });
const other = (name: string): BinaryKind => ({ name, advice: OTHER_ADVICE });

const SIGNATURES: ReadonlyArray<{ bytes: number[]; kind: BinaryKind }> = [
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: spreadsheet('an Excel .xls workbook') },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: other('a PDF document') },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: other('a PNG image') },
  { bytes: [0xff, 0xd8, 0xff], kind: other('a JPEG image') },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: other('a GIF image') },
  { bytes: [0x1f, 0x8b], kind: other('a gzip archive') },
];

/** @throws ValidationError when the upload is a known binary format (a workbook, a PDF, an image…). */
export function rejectKnownBinary(file: Buffer): void {
  const kind = zipKind(file) ?? SIGNATURES.find(({ bytes }) => startsWith(file, bytes))?.kind;
  if (kind) throw notText(kind);
}

/** @throws ValidationError when the text has a high share of C0 control bytes (a few NULs in cells are still data). */
export function rejectControlCharacters(text: Buffer): void {
  const sample = text.subarray(0, SNIFF_BYTES);
  let controls = 0;
  for (const byte of sample) {
    if (byte < 0x20 && (byte < 0x09 || byte > 0x0d)) controls++;
  }
  if (controls >= 8 && controls > sample.length * 0.05) throw notText(other('binary data'));
}

export function detectDialect(text: Buffer): CsvDialect {
  const lineBreak = detectLineBreak(text);
  const excelDelimiter = excelSeparatorLine(text);
  if (excelDelimiter) return { delimiter: excelDelimiter, lineBreak, skipLines: 1 };
  return { delimiter: detectDelimiter(text), lineBreak, skipLines: 0 };
}

function startsWith(file: Buffer, bytes: readonly number[]): boolean {
  return file.length >= bytes.length && bytes.every((byte, index) => file[index] === byte);
}

/** Spreadsheets saved in their own format are ZIP archives whose member names are stored as plain text. */
function zipKind(file: Buffer): BinaryKind | undefined {
  if (!startsWith(file, [0x50, 0x4b, 0x03, 0x04]) && !startsWith(file, [0x50, 0x4b, 0x05, 0x06])) return undefined;
  const head = file.subarray(0, SNIFF_BYTES).toString('latin1');
  if (head.includes('xl/')) return spreadsheet('an Excel .xlsx workbook');
  if (head.includes('opendocument.spreadsheet')) return spreadsheet('an OpenDocument .ods spreadsheet');
  return other('a ZIP archive');
}

function notText(kind: BinaryKind): ValidationError {
  return new ValidationError(`The file is not a CSV text file (it looks like ${kind.name}). ${kind.advice}`);
}

/** Excel writes and honours a first line `sep=;` that names the delimiter and is not part of the data. */
function excelSeparatorLine(text: Buffer): CsvDelimiter | undefined {
  const match = /^sep=([,;\t|])(\r|\n|$)/i.exec(text.subarray(0, 6).toString('latin1'));
  return match ? (match[1] as CsvDelimiter) : undefined;
}

/**
 * The first line break outside quotes decides: a lone CR means an old-Mac file; LF and CRLF both parse as LF
 * (csv-parser drops the CR before an LF).
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
  const start = firstLineWithContent(text);
  // A header that long is refused anyway (CsvReader's maxHeaderBytes): a longer line is decided by its start, not read
  // to the end byte by byte.
  const end = Math.min(text.length, start + DELIMITER_SNIFF_BYTES);
  for (let i = start; i < end; i++) {
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

export function isBlankByte(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** A lookup table of the bytes of a blank line: whitespace and the given delimiters. */
export function blankLineBytes(delimiters: readonly number[]): Uint8Array {
  const table = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) if (isBlankByte(byte) || delimiters.includes(byte)) table[byte] = 1;
  return table;
}

/** The first position at or after `from` whose byte is not one of `blank`'s, or the text's length. */
export function skipBytes(text: Buffer, from: number, blank: Uint8Array): number {
  let position = from;
  while (position < text.length && blank[text[position]] === 1) position++;
  return position;
}

const SNIFFED_BLANK = blankLineBytes(DELIMITER_BYTES);

/**
 * Where the delimiter search starts: the line of the first byte that is not blank (or the last line), as the blank
 * lines above it would only be counted and forgotten.
 */
function firstLineWithContent(text: Buffer): number {
  const visible = skipBytes(text, 0, SNIFFED_BLANK);
  if (visible === 0) return 0;
  return Math.max(text.lastIndexOf(LF, visible - 1), text.lastIndexOf(CR, visible - 1)) + 1;
}
