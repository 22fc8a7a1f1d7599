import isEmail from 'validator/lib/isEmail';
import { codePointLength } from './text';

export const EMAIL_MAX_LENGTH = 254;
const LOCAL_PART_MAX_LENGTH = 64;

/**
 * Lower-case ASCII addresses that `isEmail` (with the options below) is sure to accept: dot-atom local part, host
 * labels of letters, digits and inner hyphens, a TLD of 2–63 letters. Most rows match, which skips `isEmail`'s slower
 * checks. The spec checks that the shortcut never disagrees with `isEmail`.
 */
const COMMON_EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** Zero-width and bidi characters: `isEmail` takes them in a UTF-8 local part, but no real mailbox has them. */
const HIDDEN = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const ALL_HIDDEN = new RegExp(HIDDEN.source, 'g');
const NON_ASCII = /[^\x00-\x7F]/;
const EMAIL_OPTIONS = {
  require_tld: true,
  allow_display_name: false,
  allow_ip_domain: false,
  allow_utf8_local_part: true,
  ignore_max_length: false,
};

/**
 * The de-duplication identity of an email: trimmed, lower-cased and composed to NFC. The same with cleanup on or
 * off, so `Jane@X.com ` and `jane@x.com` are one lead.
 */
export function identityOf(email: string): string {
  const lower = email.trim().toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFC') : lower;
}

/**
 * Cleans an email cell: removes zero-width characters, takes the address out of `Jane Doe <jane@x.com>` and
 * `<jane@x.com>`, strips a leading `mailto:` (any case, with any `?subject=…` after the address) and wrapping quotes,
 * then returns its {@link identityOf}. It does not validate.
 */
export function cleanEmail(cell: string): string {
  let email = cell.replace(ALL_HIDDEN, '').trim();
  if (email.endsWith('>')) {
    const open = email.lastIndexOf('<');
    if (open >= 0) email = email.slice(open + 1, -1).trim();
  }
  if (email.length > 7 && email.slice(0, 7).toLowerCase() === 'mailto:') {
    email = email.slice(7);
    const query = email.indexOf('?');
    if (query >= 0) email = email.slice(0, query);
  }
  const first = email[0];
  if (email.length > 2 && (first === '"' || first === "'") && email.endsWith(first)) {
    const inner = email.slice(1, -1);
    if (!inner.includes(first)) email = inner;
  }
  return identityOf(email);
}

/**
 * True when the address is one we accept: validator's `isEmail` with a required, non-numeric TLD, no display name
 * and no IP-address domain; local part at most 64 bytes, whole address at most 254 characters. Also refused: a
 * leading `=` (RFC 5322 allows it, but in a CSV it is a spreadsheet formula, not a mailbox) and zero-width or bidi
 * characters (which would hide a duplicate of a visible address when cleanup is off).
 */
export function isValidEmail(email: string): boolean {
  if (email.length === 0 || email[0] === '=' || HIDDEN.test(email)) return false;
  if (email.length > EMAIL_MAX_LENGTH && codePointLength(email) > EMAIL_MAX_LENGTH) return false;
  const at = email.lastIndexOf('@');
  if (at < 1 || at > LOCAL_PART_MAX_LENGTH) return false;
  return COMMON_EMAIL.test(email) || isEmail(email, EMAIL_OPTIONS);
}
