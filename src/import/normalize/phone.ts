import { type CountryCode, isSupportedCountry, parsePhoneNumberWithError } from 'libphonenumber-js';
import { countryToAlpha2 } from './countries';
import { isPlaceholder } from './placeholders';
import { cleanText } from './text';

/** libphonenumber-js gives up beyond 250 characters; nothing that long is one phone number. */
const MAX_PHONE_INPUT = 250;
const MIN_DIGITS_FOR_MISSING_PLUS = 11;

/** Any decimal digit, including full-width and other scripts' digits, which NFKC or libphonenumber understand. */
const DIGIT = /\p{Nd}/u;
const TEXT_MARKER = /^'+/;
/** `tel:`, `callto:`, `Mobile:`, `Phone:`… before the number, and a note like `(mobile)` after it. */
const LABEL = /^[a-z][a-z .]{0,15}:\s*/i;
const TRAILING_NOTE = /\s*\([^()\d]*\)$/;
const NON_ASCII = /[^\x00-\x7F]/;
const BRACKETED_CALLING_CODE = /^\(\s*(\+|00)\s*(\d{1,4})\s*\)/;
const DOUBLE_ZERO = /^00\s*(?=[1-9])/;
const LEADING_PLUS_OR_ZERO = /^[+0]/;
const NON_DIGITS = /\D/g;
/** Without a region, libphonenumber can only read a number with a `+` before its first digit. */
const PLUS_FIRST = /^\P{Nd}*\+/u;

/**
 * The libphonenumber default region for a row's country cell (`Germany`, `DE`, `DEU`, `Deutschland`…), or
 * `undefined` when the country is missing, unknown, or has no phone numbering plan.
 */
export function phoneRegionOf(country: string | undefined): CountryCode | undefined {
  if (country === undefined || country === '') return undefined;
  const alpha2 = countryToAlpha2(country);
  return alpha2 !== undefined && isSupportedCountry(alpha2) ? alpha2 : undefined;
}

function toE164(text: string, region: CountryCode | undefined): string | undefined {
  // Without a region only an international number can be read; libphonenumber would throw for anything else, and
  // building its error (with a stack trace) costs more than a parse.
  if (region === undefined && !PLUS_FIRST.test(text)) return undefined;
  try {
    const parsed = parsePhoneNumberWithError(text, { defaultCountry: region, extract: false });
    if (!parsed.isValid()) return undefined;
    return parsed.ext ? `${parsed.number};ext=${parsed.ext}` : parsed.number;
  } catch {
    return undefined; // libphonenumber's ParseError: not a phone number
  }
}

/** Company switchboard numbers repeat across a file's rows; parsing is the slow part, so remember recent answers. */
const recent = new Map<string, string>();
const RECENT_LIMIT = 5000;

/**
 * Normalises a phone cell to E.164 (`+14155552671`), reading national numbers in the row's region. Accepts the
 * usual punctuation, a leading `00` or `(+49)`, full-width digits, Excel's `'` text marker, a label before the
 * number (`tel:`, `Mobile:`) or a note after it (`(mobile)`), and numbers whose `+` a spreadsheet dropped
 * (`14155552671`, tried only when the number is not valid as a national one). An extension (`ext. 123`, `x123`,
 * `#123`) is kept in RFC 3966 style: `+12125550123;ext=123`. A number that is not valid is kept as written (after
 * text cleanup) — never an error.
 */
export function normalizePhone(value: string, region: CountryCode | undefined): string {
  const written = cleanText(value);
  if (written.length > MAX_PHONE_INPUT || !DIGIT.test(written)) return written;
  const key = `${region ?? ''}|${written}`;
  let normalized = recent.get(key);
  if (normalized === undefined) {
    normalized = parsePhone(written, region);
    if (recent.size >= RECENT_LIMIT) recent.clear();
    recent.set(key, normalized);
  }
  return normalized;
}

function parsePhone(written: string, region: CountryCode | undefined): string {
  // NFKC turns full-width digits and plus signs (common in Japanese data) into ASCII.
  const text = (NON_ASCII.test(written) ? written.normalize('NFKC') : written)
    .replace(TEXT_MARKER, '')
    .replace(LABEL, '')
    .replace(TRAILING_NOTE, '')
    .replace(BRACKETED_CALLING_CODE, '+$2 ')
    .replace(DOUBLE_ZERO, '+');
  const e164 = toE164(text, region);
  if (e164 !== undefined) return e164;
  if (!LEADING_PLUS_OR_ZERO.test(text) && text.replace(NON_DIGITS, '').length >= MIN_DIGITS_FOR_MISSING_PLUS) {
    return toE164(`+${text}`, undefined) ?? written;
  }
  return written;
}

/** Share of a file's rows with a country that must name the same one for it to be the file's default region. */
const DOMINANT_SHARE = 0.8;

/**
 * The phone region most of a file names: the country of at least 80% of the given country cells that are not blank
 * (a sample of the file's rows), or `undefined` when none names one that often. Unrecognised countries count against.
 */
export function dominantRegion(countries: Iterable<string | undefined>): CountryCode | undefined {
  const votes = new Map<CountryCode | undefined, number>();
  let total = 0;
  for (const country of countries) {
    const cell = country?.trim();
    if (!cell || isPlaceholder(cell)) continue;
    const region = phoneRegionOf(cell);
    votes.set(region, (votes.get(region) ?? 0) + 1);
    total++;
  }
  for (const [region, count] of votes) {
    if (region !== undefined && count >= total * DOMINANT_SHARE) return region;
  }
  return undefined;
}

/** Fewer digits than this is not a phone number: an extension alone, a `0`, a typo. */
export const MIN_PHONE_DIGITS = 5;

/** Digits in a phone value, of any script (full-width ones too). */
export function phoneDigitCount(value: string): number {
  if (NON_ASCII.test(value)) return value.match(/\p{Nd}/gu)?.length ?? 0;
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) count++;
  }
  return count;
}
