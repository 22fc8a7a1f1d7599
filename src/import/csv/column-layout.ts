/**
 * The file's columns as the rest of the import sees them: header names made unique and non-blank, and each record
 * aligned to them (missing trailing cells blank; extra values, oversized values and oversized rows as row errors).
 */
import { formatBytes, plural } from '../../common/text';
import type { ParsedRecord } from './csv-records';

/** A data row of the file: the raw record every later stage reads. */
export interface CsvRow {
  /** 1-based data-row number: the header and blank rows are not counted. */
  row: number;
  /** 1-based physical line where the record starts. */
  line: number;
  /** One value per header, never trimmed; missing trailing cells are `''`, an oversized value is blanked. */
  values: string[];
  /** Set when the record is malformed or breaks a limit: the row fails. */
  error?: string;
  /** The record's cells as csv-parser cut them (oversized values blanked): what the error file shows. */
  cells: string[];
}

/** A header the reader had to name differently from the file, so the API can say so. */
export interface RenamedHeader {
  /** 1-based column position in the file. */
  column: number;
  /** The trimmed header as written in the file (`''` for a blank header). */
  original: string;
  /** The name used in `csvInfo.columns`, e.g. `Email (2)` or `Column 4`. */
  renamed: string;
}

export class ColumnLayout {
  /** Unique (case-insensitively) names, one per column of the header record. */
  readonly headers: string[];
  private readonly renamed: RenamedHeader[];
  /** Columns with a blank header: named `Column N`, and reported only if some row has a value there. */
  private readonly blankHeaded: ReadonlySet<number>;
  private readonly blankHeadedWithData = new Set<number>();
  /** Data rows aligned so far. */
  rowCount = 0;

  constructor(
    header: readonly string[],
    private readonly maxCellBytes: number,
    private readonly maxRowBytes: number,
  ) {
    const names = header.map((cell) => cell.trim());
    this.blankHeaded = new Set(names.flatMap((name, column) => (name === '' ? [column] : [])));
    ({ headers: this.headers, renamed: this.renamed } = nameColumns(names));
  }

  /** The next data record as a row. */
  toRow(record: ParsedRecord): CsvRow {
    const width = this.headers.length;
    const values = record.cells.length === width ? record.cells : record.cells.slice(0, width);
    while (values.length < width) values.push('');
    let error = record.error ?? extraValuesError(record.cells, width);
    for (let column = 0; column < record.cells.length; column++) {
      if (!isOversized(record.cells[column], this.maxCellBytes)) continue;
      // Blanked also on a row that failed otherwise, so that huge values go no further.
      record.cells[column] = '';
      if (column >= width) continue; // an extra value: the row fails for having it
      values[column] = '';
      error ??= `Value in column "${this.headers[column]}" is larger than ${formatBytes(this.maxCellBytes)}`;
    }
    if (fitRow(record.cells, values, this.maxRowBytes)) error ??= `Row is larger than ${formatBytes(this.maxRowBytes)}`;
    for (const column of this.blankHeaded) if (values[column].trim() !== '') this.blankHeadedWithData.add(column);
    const row: CsvRow = { row: ++this.rowCount, line: record.line, values, cells: record.cells };
    if (error !== undefined) row.error = error;
    return row;
  }

  /** Whether column `column` is reported: blank-headed columns only once a row had a value in them. */
  isReported(column: number): boolean {
    return !this.blankHeaded.has(column) || this.blankHeadedWithData.has(column);
  }

  /** The renamed headers among the reported columns. */
  renamedHeaders(): RenamedHeader[] {
    return this.renamed.filter((renamed) => this.isReported(renamed.column - 1));
  }
}

/**
 * Blank headers become `Column N` (N its position); a repeated name (case-insensitive) becomes `Name (2)`, `Name (3)`…
 * The file's own names are taken first, so a generated name gives way to them.
 */
function nameColumns(names: string[]): { headers: string[]; renamed: RenamedHeader[] } {
  const wanted = names.map((name, column) => name || `Column ${column + 1}`);
  const taken = new Set<string>();
  const repeated = wanted.map(() => false);
  const order = [...names.keys()].sort((a, b) => Number(names[a] === '') - Number(names[b] === '') || a - b);
  for (const column of order) {
    const key = wanted[column].toLowerCase();
    if (taken.has(key)) repeated[column] = true;
    else taken.add(key);
  }
  const renamed: RenamedHeader[] = [];
  // The next number to try per name: a file repeating one header thousands of times is renamed in linear time.
  const nextNumber = new Map<string, number>();
  const headers = wanted.map((name, column) => {
    let unique = name;
    if (repeated[column]) {
      const key = name.toLowerCase();
      let n = nextNumber.get(key) ?? 2;
      while (taken.has(`${key} (${n})`)) n++;
      unique = `${name} (${n})`;
      nextNumber.set(key, n + 1);
      taken.add(unique.toLowerCase());
    }
    if (unique !== names[column]) renamed.push({ column: column + 1, original: names[column], renamed: unique });
    return unique;
  });
  return { headers, renamed };
}

/** Cells past the header are fine when blank (exports often end rows with extra delimiters). */
function extraValuesError(cells: readonly string[], headerWidth: number): string | undefined {
  let last = cells.length - 1;
  while (last >= headerWidth && cells[last].trim() === '') last--;
  if (last < headerWidth) return undefined;
  return `Row has ${plural(last + 1, 'value')} but the header has ${plural(headerWidth, 'column')}`;
}

function isOversized(value: string, maxCellBytes: number): boolean {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes, so most values need no byte count at all.
  return value.length * 3 > maxCellBytes && Buffer.byteLength(value, 'utf8') > maxCellBytes;
}

/**
 * Blanks the row's largest values (in `cells` and the aligned `values`) until the rest fits in `maxRowBytes` UTF-8
 * bytes, and says whether it had to. A row far under the limit is not counted byte by byte.
 */
function fitRow(cells: string[], values: string[], maxRowBytes: number): boolean {
  let length = 0;
  for (const cell of cells) length += cell.length;
  if (length * 3 <= maxRowBytes) return false;
  const bytes = cells.map((cell) => Buffer.byteLength(cell, 'utf8'));
  let total = bytes.reduce((sum, size) => sum + size, 0);
  if (total <= maxRowBytes) return false;
  const bySize = [...cells.keys()].sort((a, b) => bytes[b] - bytes[a]);
  for (const column of bySize) {
    if (total <= maxRowBytes) break;
    total -= bytes[column];
    cells[column] = '';
    if (column < values.length) values[column] = '';
  }
  return true;
}
