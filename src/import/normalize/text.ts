/**
 * Text cleanup shared by every free-text lead field.
 *
 * "Invisible" characters are the C0/C1 control characters (except the whitespace ones, which collapse to a space),
 * the soft hyphen, zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and the bidirectional marks and overrides
 * (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) that make text render differently from how it reads.
 */
const INVISIBLE =
  /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/** Like {@link INVISIBLE} but also the whitespace controls other than tab and newline (for notes). */
const NOTES_INVISIBLE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/** `\s` covers tab, newline, VT, FF, CR, NBSP and the other Unicode spaces, U+2028/U+2029; U+0085 is NEL. */
const WHITESPACE_RUN = /[\s\u0085]+/g;
const LINE_BREAK = /\r\n?|[\u0085\u2028\u2029]/g;
const BLANK_LINES = /\n{3,}/g;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Printable ASCII words separated by single spaces: already clean, the common case. */
const CLEAN_ASCII = /^[\x21-\x7E]+(?: [\x21-\x7E]+)*$/;
const NON_ASCII = /[^\x00-\x7F]/;

/** Drops unpaired UTF-16 surrogates, which no database encoding can store. */
function dropLoneSurrogates(value: string): string {
  // isWellFormed (native, Node 20) answers for the common case — emoji are pairs — without the slow regex.
  if (!SURROGATE.test(value) || (value as { isWellFormed(): boolean } & string).isWellFormed()) return value;
  return value.replace(LONE_SURROGATE, '');
}

function toNfc(value: string): string {
  return NON_ASCII.test(value) ? value.normalize('NFC') : value;
}

/**
 * Cleans a one-line text value: removes invisible characters, collapses every run of whitespace (tabs, newlines,
 * NBSP…) to one space, trims, and composes to Unicode NFC. Returns '' for a value with nothing visible in it.
 */
export function cleanText(value: string): string {
  if (CLEAN_ASCII.test(value)) return value;
  const visible = dropLoneSurrogates(value.replace(INVISIBLE, ''));
  return toNfc(visible.replace(WHITESPACE_RUN, ' ').trim());
}

/**
 * Cleans a multi-line note: line breaks are kept (CRLF, CR and Unicode separators become LF), invisible characters
 * other than tab and newline are removed, trailing spaces of each line are trimmed, runs of blank lines shrink to one
 * blank line, and leading/trailing blank lines go. Spacing inside a line is left as written.
 */
export function cleanNotes(value: string): string {
  const unified = dropLoneSurrogates(value.replace(LINE_BREAK, '\n').replace(NOTES_INVISIBLE, ''));
  // Split rather than a multiline regex: `/\s+$/gm` backtracks quadratically on long runs of spaces.
  const lines = unified.split('\n');
  for (let i = 0; i < lines.length; i++) lines[i] = lines[i].trimEnd();
  return toNfc(lines.join('\n').replace(BLANK_LINES, '\n\n').trim());
}

export { codePointLength } from '../../common/text';
