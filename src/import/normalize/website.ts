import { cleanText } from './text';

const MAX_URL_LENGTH = 2048;
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const WHITESPACE = /\s/;
/** A host name with a TLD of letters (or punycode), and an optional port: what a bare "example.com" must be. */
const DOMAIN_HOST =
  /^(?:[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?\.)+(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})\.?(?::\d{1,5})?$/iu;
/** Behind an explicit http(s) scheme we also take IP addresses, `localhost` and `[::1]`-style hosts. */
const ANY_HOST = /^(?=.*[\p{L}\p{N}])[\p{L}\p{N}._\-[\]:]+$/u;
const HOST_END = /[/?#]/;
const PATH_END = /[?#]/;

/**
 * Normalises a website: `https://` is added when there is no scheme (an explicit `http://` is kept), the scheme and
 * host are lower-cased, and trailing slashes of the path are dropped; path, query and fragment are otherwise kept as
 * written (`Example.com/About/` → `https://example.com/About`). Not URL-like (`N/A`, `info@x.com`, `ftp://…`, text
 * with spaces) → kept as written (after text cleanup).
 */
export function normalizeWebsite(value: string): string {
  const written = cleanText(value);
  if (written.length > MAX_URL_LENGTH || WHITESPACE.test(written)) return written;
  let scheme = 'https';
  let rest = written;
  const explicit = SCHEME.exec(written);
  if (explicit !== null) {
    scheme = explicit[1].toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') return written;
    rest = written.slice(explicit[0].length);
  } else if (written.startsWith('//')) {
    rest = written.slice(2);
  }
  const hostEnd = rest.search(HOST_END);
  const host = (hostEnd < 0 ? rest : rest.slice(0, hostEnd)).toLowerCase();
  const tail = hostEnd < 0 ? '' : rest.slice(hostEnd);
  if (!(explicit !== null ? ANY_HOST : DOMAIN_HOST).test(host)) return written;
  const pathEnd = tail.search(PATH_END);
  let path = pathEnd < 0 ? tail : tail.slice(0, pathEnd);
  const queryAndFragment = pathEnd < 0 ? '' : tail.slice(pathEnd);
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  path = path.slice(0, end);
  return `${scheme}://${host}${path}${queryAndFragment}`;
}
