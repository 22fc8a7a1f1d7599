import { domainToASCII } from 'node:url';
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
/** Half of a UTF-16 surrogate pair on its own: no character at all, and `isEmail` throws on it (encodeURI). */
const LONE_SURROGATE = /\p{Surrogate}/u;
/** What a spreadsheet reads as a formula at the start of a cell, also inside an opening quote (OWASP CSV injection). */
const FORMULA_START = /^"?[=+\-@]/;
const EMAIL_OPTIONS = {
  require_tld: true,
  allow_display_name: false,
  allow_ip_domain: false,
  allow_utf8_local_part: true,
  ignore_max_length: false,
};

/** A local part that reads the same without its quotes: a dot-atom (RFC 5322), ASCII or UTF-8. */
const DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/;

/**
 * The de-duplication identity of an email: one form per mailbox, the same with cleanup on or off. Trimmed,
 * NFKC (fullwidth `ｊａｎｅ` is `jane`), lower-cased; quotes the local part does not need removed (`"jane"@x.com` is
 * `jane@x.com`); the domain in its IDNA ASCII form (`BÜCHER.de` is `xn--bcher-kva.de`). The single rule: the import,
 * the leads filter and the re-keying migration all call this.
 */
export function identityOf(email: string): string {
  const lower = email.trim().toLowerCase();
  // Most addresses are plain ASCII without quotes: nothing below would change them.
  if (!NON_ASCII.test(lower) && lower[0] !== '"') return lower;
  const folded = lower.normalize('NFKC').toLowerCase();
  const at = folded.lastIndexOf('@');
  if (at < 1) return folded;
  let local = folded.slice(0, at);
  let domain = folded.slice(at + 1);
  if (local.length > 2 && local.startsWith('"') && local.endsWith('"') && DOT_ATOM.test(local.slice(1, -1))) {
    local = local.slice(1, -1);
  }
  // domainToASCII gives '' for a domain IDNA refuses: keep it as written, validation then judges it.
  if (NON_ASCII.test(domain)) domain = domainToASCII(domain) || domain;
  return `${local}@${domain}`;
}

/**
 * The stored form of a cleaned email: trimmed, lower-cased, composed (NFC). What the user wrote, tidied; the
 * canonical comparison form is {@link identityOf}.
 */
function tidyEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFC') : lower;
}

/**
 * Cleans an email cell: removes zero-width characters, takes the address out of `Jane Doe <jane@x.com>` and
 * `<jane@x.com>`, strips a leading `mailto:` (any case, with any `?subject=…` after the address) and wrapping quotes,
 * then trims, lower-cases and composes it (NFC). It does not validate, nor canonicalise: see {@link identityOf}.
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
  return tidyEmail(email);
}

/**
 * True when the address is one we accept: validator's `isEmail` with a required, non-numeric TLD, no display name
 * and no IP-address domain; local part at most 64 bytes, whole address at most 254 characters. Also refused: a
 * local part starting with `=`, `+`, `-` or `@` (RFC 5322 allows some of them, but in a CSV they start a spreadsheet
 * formula; one rule for all four, see docs/security.md), zero-width or bidi characters (which would hide a
 * duplicate of a visible address when cleanup is off) and lone surrogates (a JSON body or a UTF-16 file can hold one).
 */
export function isValidEmail(email: string): boolean {
  if (email.length === 0 || FORMULA_START.test(email) || HIDDEN.test(email)) return false;
  if (LONE_SURROGATE.test(email)) return false;
  if (email.length > EMAIL_MAX_LENGTH && codePointLength(email) > EMAIL_MAX_LENGTH) return false;
  const at = email.lastIndexOf('@');
  if (at < 1 || at > LOCAL_PART_MAX_LENGTH) return false;
  return COMMON_EMAIL.test(email) || isEmail(email, EMAIL_OPTIONS);
}
