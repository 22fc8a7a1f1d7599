import { dirname, join } from 'node:path';
import { type CountryCode, type MetadataJson, type PhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/min/metadata';

/**
 * Two shortcuts past slow spots of libphonenumber-js (1.13), each measured on the benchmark's phones and each
 * falling back to the public API when a new version moves the internals (the unit test then fails, so the upgrade
 * is noticed). Upstream fixes to propose: cache in `matchesEntirely`; spread options without Babel's helper.
 */
const build = join(dirname(require.resolve('libphonenumber-js')), 'build');

function internal<T>(file: string): { default?: T } | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(join(build, file)) as { default?: T };
  } catch {
    return undefined;
  }
}

/**
 * `matchesEntirely` builds a new RegExp from its metadata on every check, and numbers of shared calling codes (+1,
 * +44, +7) are checked against every country of the code: about half of all phone-cleaning time. This keeps one
 * compiled RegExp per pattern instead (the metadata holds a few thousand). It replaces the helper's export, which
 * every caller in the library reads at call time.
 */
function cacheRegExps(): boolean {
  const helper = internal<(text: string | undefined, pattern: string) => boolean>('helpers/matchesEntirely.js');
  if (typeof helper?.default !== 'function') return false;
  const compiled = new Map<string, RegExp>();
  helper.default = (text, pattern) => {
    let regexp = compiled.get(pattern);
    if (!regexp) compiled.set(pattern, (regexp = new RegExp(`^(?:${pattern})$`)));
    return regexp.test(text || '');
  };
  return true;
}

type Parse = (text: string, options: object, metadata: MetadataJson) => PhoneNumber;

/**
 * `parsePhoneNumberWithError` reaches the library's own `parse` through three wrappers: argument shuffling, a
 * country check, and `{ ...options, v2: true }`, which Babel compiles into an `_objectSpread` that alone took a
 * quarter of the parse time. This calls `parse` with the options those wrappers pass to it.
 */
const parse = internal<Parse>('parse.js')?.default;

export const shortcutsInstalled = { regExpCache: cacheRegExps(), directParse: typeof parse === 'function' };

/**
 * Reads `text` as one phone number (no extraction from surrounding text), national numbers in `region`; throws
 * libphonenumber's ParseError when it cannot. `region` must be a supported country.
 */
export function readPhoneNumber(text: string, region: CountryCode | undefined): PhoneNumber {
  return parse
    ? parse(text, { defaultCountry: region, extract: false, v2: true }, metadata)
    : parsePhoneNumberWithError(text, { defaultCountry: region, extract: false });
}
