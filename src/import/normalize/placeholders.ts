/**
 * Cells that stand for "no value" in real exports: database and script nulls (`null`, `None`, `undefined`), the
 * spreadsheet and form spellings (`N/A`, `#N/A`, `-`, `Unknown`, `[not provided]`) and zeros a CRM writes for an
 * empty number or date (`0`, `000`, `0.0.00`). `NA` is not one: it is Namibia's country code.
 */
const PLACEHOLDER =
  /^\s*(?:null|<null>|\(null\)|none|\(none\)|nil|undefined|n\/a|#n\/a|n\.a\.|-+|—|–|unknown|\[?not provided\]?|\[?not set\]?|\(blank\)|(?=[^1-9]*0)[0\s.,:/-]+)\s*$/i;
const PLACEHOLDER_STARTS = 'nNuU#-[(<0.,:/ \t\n\r';
/** No placeholder is longer, spaces aside; the length check spares the regex most cells. */
const MAX_PLACEHOLDER_LENGTH = 16;

/**
 * Whether a cell (trimmed or not) is a placeholder for a missing value, in any case. The zeros are those of numbers
 * and dates: `0`, `000`, `0.0.00`, `00/00/0000`.
 */
export function isPlaceholder(value: string): boolean {
  if (value.length > MAX_PLACEHOLDER_LENGTH && value.trim().length > MAX_PLACEHOLDER_LENGTH) return false;
  // Cleanup asks this of every cell: most start with a character no placeholder starts with.
  const first = value.charCodeAt(0);
  if (first < 0x80 && !PLACEHOLDER_STARTS.includes(value[0])) return false;
  return PLACEHOLDER.test(value);
}

/**
 * Spreadsheets keep `+61 …`, `-5`, `=…` or `0049…` as text, rather than a number or a formula, behind an apostrophe
 * that exports then write out. Only that apostrophe goes: `'s-Hertogenbosch` and `'Jane'` keep theirs.
 */
const PROTECTION_APOSTROPHE = /^(\s*)'(?=[+\-=@0-9])/;

export function removeProtectionApostrophe(value: string): string {
  return value.includes("'") ? value.replace(PROTECTION_APOSTROPHE, '$1') : value;
}
