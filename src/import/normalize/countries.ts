import * as countries from 'i18n-iso-countries';

/** Languages whose country names we recognise, English first (it wins when two languages disagree). */
const NAME_LANGUAGES = 'en de fr es it pt nl sv da nb fi pl cs tr ru ja zh'.split(' ');

/** Common ways of writing a country that i18n-iso-countries does not list. */
const EXTRA_NAMES: Record<string, string> = {
  america: 'US',
  'u s': 'US',
  'u s a': 'US',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  britain: 'GB',
  'great britain and northern ireland': 'GB',
  'u k': 'GB',
  korea: 'KR',
  emirates: 'AE',
  macedonia: 'MK',
  'east timor': 'TL',
  vatican: 'VA',
  'vatican city': 'VA',
  'hong kong sar': 'HK',
  'republic of ireland': 'IE',
};

const DIACRITICS = /\p{M}+/gu;
const APOSTROPHES_AND_DOTS = /['’.]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
const LEADING_THE = /^the /;

/** Folds case, accents, dots, punctuation and a leading "the": "U.S.A." → "usa", "The Netherlands" → "netherlands". */
function countryKey(value: string): string {
  return value
    .normalize('NFD')
    .replace(DIACRITICS, '')
    .toLowerCase()
    .replace(APOSTROPHES_AND_DOTS, '')
    .replace(SEPARATORS, ' ')
    .trim()
    .replace(LEADING_THE, '');
}

function buildCountryIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const add = (name: string, alpha2: string): void => {
    const key = countryKey(name);
    if (key !== '' && !index.has(key)) index.set(key, alpha2);
  };
  for (const alpha2 of Object.keys(countries.getAlpha2Codes())) add(alpha2, alpha2);
  for (const [alpha3, alpha2] of Object.entries(countries.getAlpha3Codes())) add(alpha3, alpha2);
  add('UK', 'GB');
  for (const [name, alpha2] of Object.entries(EXTRA_NAMES)) add(name, alpha2);
  for (const language of NAME_LANGUAGES) {
    for (const [alpha2, names] of Object.entries(countries.getNames(language, { select: 'all' }))) {
      for (const name of names) add(name, alpha2);
    }
  }
  return index;
}

const COUNTRY_INDEX = buildCountryIndex();
/** Country cells repeat a lot within a file; remember the answers, but not without bound. */
const resolved = new Map<string, string | undefined>();
const RESOLVED_LIMIT = 2000;

/**
 * The ISO 3166-1 alpha-2 code for a country as people write it: an alpha-2 or alpha-3 code in any case (`DE`, `deu`,
 * `UK`), or a name in one of several languages, with or without accents and dots (`Germany`, `Deutschland`,
 * `U.S.A.`, `España`, `England`). `undefined` when it is not recognised.
 */
export function countryToAlpha2(value: string): string | undefined {
  if (resolved.has(value)) return resolved.get(value);
  const alpha2 = value.length > 100 ? undefined : COUNTRY_INDEX.get(countryKey(value));
  if (resolved.size >= RESOLVED_LIMIT) resolved.clear();
  resolved.set(value, alpha2);
  return alpha2;
}

const CODE_LIKE = /^[A-Za-z]{2,3}$/;
/** Words kept lower-case inside a title-cased country name ("Bosnia and Herzegovina", "Isle of Man"). */
const SMALL_WORDS = new Set([
  'and',
  'of',
  'the',
  'da',
  'de',
  'del',
  'des',
  'di',
  'do',
  'du',
  'la',
  'le',
  'y',
  'et',
  'und',
  'd',
  'l',
]);
/** Like country names, the same few forms repeat down a file's rows. */
const formattedCountries = new Map<string, string>();
const LONG_WORD = /\p{L}{4}/u;
const WORD_START = /(^|[\s\-(’'])(\p{L})(\p{L}*)/gu;

/**
 * A cleaned country cell in one consistent form, still as written (a name stays a name): a code (`de`, `usa`, `uk`)
 * upper-case, a name written all in capitals or all in lower case title-cased (`UNITED STATES` → `United States`,
 * `bosnia and herzegovina` → `Bosnia and Herzegovina`); mixed case (`Deutschland`, `U.S.A.`) is kept.
 */
export function formatCountry(value: string): string {
  let formatted = formattedCountries.get(value);
  if (formatted === undefined) {
    formatted = format(value);
    if (formattedCountries.size >= RESOLVED_LIMIT) formattedCountries.clear();
    formattedCountries.set(value, formatted);
  }
  return formatted;
}

function format(value: string): string {
  if (CODE_LIKE.test(value) && (countryToAlpha2(value) !== undefined || value === value.toUpperCase())) {
    return value.toUpperCase();
  }
  const lower = value.toLowerCase();
  const upper = value.toUpperCase();
  if (lower === upper || (value !== lower && value !== upper)) return value;
  // A letter whose other case is two letters (`ß`, `ᾀ`) would change the value again on the next cleanup.
  if (upper.length !== value.length || lower.length !== value.length) return value;
  // No word of four letters: an abbreviation (`U.S.A.`, `uae`), not a name.
  if (!LONG_WORD.test(value)) return upper;
  return lower.replace(WORD_START, (word: string, before: string, first: string, rest: string, offset: number) =>
    offset > 0 && SMALL_WORDS.has(first + rest) ? word : before + first.toUpperCase() + rest,
  );
}

/** Whether `value` is an ISO 3166-1 alpha-2 code (`DE`, `us`); `UK` is not one (Great Britain is `GB`). */
export function isAlpha2Code(value: string): boolean {
  return /^[A-Za-z]{2}$/.test(value) && countries.isValid(value.toUpperCase());
}
