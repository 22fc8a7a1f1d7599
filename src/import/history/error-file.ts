/**
 * The error file: an import's failed rows as CSV (RFC 4180, comma-delimited, UTF-8 with a BOM so that Excel opens it
 * right), the file's own header and cells after three columns Row, Line and Error, ready to fix and upload again.
 */
import type { FailedRow } from '../pipeline/lead-batch';

const BOM = '\uFEFF';
/** OWASP's CSV-injection advice: a cell starting with one of these is prefixed with `'` so no spreadsheet runs it. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function errorFileCsv(header: readonly string[], rows: readonly FailedRow[]): Buffer {
  const lines = [line(['Row', 'Line', 'Error', ...header])];
  for (const row of rows) lines.push(line([String(row.row), String(row.line), row.error, ...(row.cells ?? [])]));
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}

function line(cells: readonly string[]): string {
  return cells.map(cell).join(',');
}

function cell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
