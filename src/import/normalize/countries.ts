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
