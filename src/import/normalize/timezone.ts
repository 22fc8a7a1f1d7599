/** IANA names are `Area/Location` (`Europe/Berlin`, `America/Argentina/Buenos_Aires`) or one of these. */
const IANA_SHAPE = /^(?:[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+|utc|gmt)$/i;

/**
 * ICU, which answers for `Intl`, keeps the old name of a zone as its canonical one for stability; the IANA database
 * renamed these (the old names are its links to the new ones).
 */
const RENAMED_BY_IANA: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Godthab': 'America/Nuuk',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Asia/Choibalsan': 'Asia/Ulaanbaatar',
};

const resolved = new Map<string, string | undefined>();

/**
 * The canonical IANA name of a time zone written as one, in any case or as a link: `europe/berlin` → `Europe/Berlin`,
 * `US/Pacific` → `America/Los_Angeles`, `Asia/Calcutta` → `Asia/Kolkata`, `utc` → `UTC`. Anything else (`PST`,
 * `GMT+1`, `Eastern Time`) is returned as given: it is not an IANA name, and guessing one would invent data.
 */
export function canonicalTimezone(value: string): string {
  if (!IANA_SHAPE.test(value)) return value;
  let canonical = resolved.get(value);
  if (!resolved.has(value)) {
    canonical = resolveZone(value);
    if (resolved.size >= 1000) resolved.clear();
    resolved.set(value, canonical);
  }
  return canonical ?? value;
}

function resolveZone(value: string): string | undefined {
  try {
    const zone = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    return RENAMED_BY_IANA[zone] ?? zone;
  } catch {
    return undefined; // RangeError: not a zone ICU knows
  }
}
