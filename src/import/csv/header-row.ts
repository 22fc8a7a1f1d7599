import { matchHeader } from '../mapping/header-aliases';

/** A non-blank record near the top of the file: its cells as read, and the physical line where it starts. */
export interface TopRecord {
  cells: readonly string[];
  line: number;
}

/** The header is looked for among this many non-blank records. */
export const HEADER_SEARCH_RECORDS = 20;

/** A header names at least this many columns a lead field is known by ("Email", "First Name"…). */
const MIN_KNOWN_NAMES = 2;
/** Header cells are field names; a paragraph (LinkedIn's "Notes:" text) is not one. */
const MAX_HEADER_CELL_LENGTH = 100;
/** Records below a header that must fit within its width to call it the table's header. */
const ROWS_CHECKED_BELOW = 10;
const NUMERIC = /^[\d\s.,:;/+\-()%$€£]+$/;
/** An address in a cell marks a data row: no export names a column after an address. */
const EMAIL_LIKE = /\S@\S+\.\S/;

/**
 * Index (into `records`) of the header record: the first one that looks like a header — several non-blank, distinct,
 * short, mostly non-numeric cells, at least two of them names of lead fields, no email addresses — with records of
 * no greater width below it. Preamble lines above it (LinkedIn's `Notes:` paragraph, a report's title and date) are
 * then not data. When no record looks like that before the first data row (cells with an email address), the first
 * record is the header, as in a plain file whose columns are named only in the caller's mapping.
 * `records[index].line` is the header's line.
 */
export function findHeaderRow(records: readonly TopRecord[]): number {
  const searched = records.slice(0, HEADER_SEARCH_RECORDS);
  for (let index = 0; index < searched.length; index++) {
    const cells = searched[index].cells;
    if (looksLikeHeader(cells) && fitsBelow(searched, index)) return index;
    // A data row: the table started above it, so a header-like row further down is data too.
    if (looksLikeDataRow(cells)) break;
  }
  return 0;
}

function looksLikeHeader(cells: readonly string[]): boolean {
  const names = cells.map((cell) => cell.trim()).filter((cell) => cell !== '');
  if (names.length < MIN_KNOWN_NAMES) return false;
  if (new Set(names.map((name) => name.toLowerCase())).size !== names.length) return false;
  if (names.some((name) => name.length > MAX_HEADER_CELL_LENGTH || EMAIL_LIKE.test(name))) return false;
  const numeric = names.filter((name) => NUMERIC.test(name)).length;
  if (numeric * 4 > names.length) return false;
  return names.filter((name) => matchHeader(name) !== undefined).length >= MIN_KNOWN_NAMES;
}

/** Several cells, one of them an address: a lead, not a preamble line (which may name an address in its text). */
function looksLikeDataRow(cells: readonly string[]): boolean {
  return cells.filter((cell) => cell.trim() !== '').length >= 2 && cells.some((cell) => EMAIL_LIKE.test(cell.trim()));
}

/** Most records below a header have no value past its last column (trailing blanks are fine; a footer may differ). */
function fitsBelow(records: readonly TopRecord[], header: number): boolean {
  const width = filledWidth(records[header].cells);
  const below = records.slice(header + 1, header + 1 + ROWS_CHECKED_BELOW);
  const fitting = below.filter((record) => filledWidth(record.cells) <= width).length;
  return fitting * 3 >= below.length * 2;
}

/** Cells up to the last non-blank one. */
function filledWidth(cells: readonly string[]): number {
  for (let end = cells.length; end > 0; end--) if (cells[end - 1].trim() !== '') return end;
  return 0;
}
