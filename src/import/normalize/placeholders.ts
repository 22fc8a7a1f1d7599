/**
 * Cells that stand for "no value" in real exports: database and script nulls (`null`, `None`, `undefined`), the
 * spreadsheet and form spellings (`N/A`, `#N/A`, `-`, `Unknown`, `[not provided]`) and zeros a CRM writes for an
 * empty number or date (`0`, `000`, `0.0.00`). `NA` is not one: it is Namibia's country code.
 */
const PLACEHOLDER =
  /^(?:null|<null>|\(null\)|none|\(none\)|nil|undefined|n\/a|#n\/a|n\.a\.|-+|—|–|unknown|\[?not provided\]?|\[?not set\]?|\(blank\))$/i;
/** Zeros and the punctuation of numbers and dates, with at least one zero: `0`, `000`, `0.0.00`, `00/00/0000`. */
const ALL_ZEROS = /^(?=[^1-9]*0)[0\s.,:/-]+$/;

/** Whether a cell (trimmed or not) is a placeholder for a missing value, in any case. */
export function isPlaceholder(value: string): boolean {
  const text = value.trim();
  return text.length <= 16 && (PLACEHOLDER.test(text) || ALL_ZEROS.test(text));
}

/**
 * Spreadsheets keep `+61 …`, `-5`, `=…` or `0049…` as text, rather than a number or a formula, behind an apostrophe
 * that exports then write out. Only that apostrophe goes: `'s-Hertogenbosch` and `'Jane'` keep theirs.
 */
const PROTECTION_APOSTROPHE = /^(\s*)'(?=[+\-=@0-9])/;

export function removeProtectionApostrophe(value: string): string {
  return value.replace(PROTECTION_APOSTROPHE, '$1');
}
