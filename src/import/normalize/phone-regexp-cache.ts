import { dirname, join } from 'node:path';

/**
 * libphonenumber-js builds a new RegExp from its metadata on every check (`matchesEntirely`), and
 * numbers of shared calling codes (+1, +44, +7) are checked against every country of the code: on
 * our benchmark that is about half of all phone-cleaning time. This keeps one compiled RegExp per
 * pattern instead (the metadata holds a few thousand patterns). It replaces the helper's export, which
 * every caller in the library reads at call time; if a new version moves the helper, nothing is
 * patched and `installed` is false (the unit test then fails, so the upgrade is noticed).
 * Upstream fix to propose: cache in matchesEntirely itself.
 */
function install(): boolean {
  try {
    const helper = join(dirname(require.resolve('libphonenumber-js')), 'build/helpers/matchesEntirely.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(helper) as { default?: (text: string | undefined, pattern: string) => boolean };
    if (typeof module.default !== 'function') return false;
    const compiled = new Map<string, RegExp>();
    module.default = (text, pattern) => {
      let regexp = compiled.get(pattern);
      if (!regexp) compiled.set(pattern, (regexp = new RegExp(`^(?:${pattern})$`)));
      return regexp.test(text || '');
    };
    return true;
  } catch {
    return false;
  }
}

export const phoneRegExpCacheInstalled = install();
