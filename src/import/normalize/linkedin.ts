import { cleanText } from './text';

/** Any scheme or none, `www.` or a country subdomain, then linkedin.com and an optional path; no whitespace. */
const LINKEDIN_URL = /^(?:https?:\/\/)?(?:[a-z0-9-]{1,20}\.)?linkedin\.com(?::\d{1,5})?(\/[^?#\s]*)?(?:[?#]\S*)?$/i;
const PAGE_TYPES = new Set(['in', 'company', 'school', 'showcase']);
/** Characters a decoded slug must not contain, or the URL would mean something else. */
const UNSAFE_IN_SLUG = /[\s/?#%\\]|[\u0000-\u001F\u007F-\u009F]/;
const MAX_URL_LENGTH = 2048;

/**
 * Percent-decodes a slug for display (`j%C3%BCrgen` → `jürgen`), as LinkedIn shows it. It stays encoded when the
 * decoded form would change the URL's meaning (`/`, `?`, `#`, `%`, spaces) or hide characters (controls, zero-width).
 */
function decodeSlug(slug: string): string {
  if (!slug.includes('%')) return slug;
  let decoded: string;
  try {
    decoded = decodeURIComponent(slug).normalize('NFC');
  } catch {
    return slug; // malformed escapes: keep what was written
  }
  return !UNSAFE_IN_SLUG.test(decoded) && cleanText(decoded) === decoded ? decoded : slug;
}

/** Whether a cell holds a link to linkedin.com (any form the normaliser reads). */
export function isLinkedinUrl(value: string): boolean {
  return LINKEDIN_URL.test(value.trim());
}

/**
 * Normalises a LinkedIn URL to `https://www.linkedin.com/<type>/<slug>` for profiles (`/in/`), companies
 * (`/company/`), schools (`/school/`) and showcase pages (`/showcase/`): any scheme or none, `www.` or a country
 * subdomain (`de.linkedin.com`), extra path segments, query, fragment and trailing slash are dropped; the slug keeps
 * its case and is percent-decoded when that is safe. Old `/pub/name/a/b/c` profiles keep their path on the canonical
 * host. Anything else (another site, a LinkedIn post or search, a bare name) is kept as written (after text cleanup).
 */
export function normalizeLinkedinUrl(value: string): string {
  const written = cleanText(value);
  if (written.length > MAX_URL_LENGTH) return written;
  const match = LINKEDIN_URL.exec(written);
  if (match === null || match[1] === undefined) return written;
  const segments = match[1].split('/').filter((segment) => segment !== '');
  if (segments.length < 2) return written;
  const type = segments[0].toLowerCase();
  if (PAGE_TYPES.has(type)) return `https://www.linkedin.com/${type}/${decodeSlug(segments[1])}`;
  if (type === 'pub') return `https://www.linkedin.com/pub/${segments.slice(1).join('/')}`;
  return written;
}
