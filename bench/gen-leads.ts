/**
 * Deterministic generator of realistic, messy lead CSVs for the import benchmark: the same options always give the
 * same bytes. Run alone: `ts-node --transpile-only bench/gen-leads.ts --rows 50000 --size small > leads.csv`.
 */
import {
  COMPANY_TAILS,
  COMPANY_WORDS,
  COUNTRIES,
  CountrySpec,
  EMPLOYEES,
  INDUSTRIES,
  NOTE_JOINS,
  NOTE_SENTENCES,
  TITLES,
  WORLD_FIRST_NAMES,
  WORLD_LAST_NAMES,
} from './lead-data';
import { Random } from './random';

export const LEAD_CSV_HEADERS = [
  'Email',
  'First Name',
  'Last Name',
  'Company',
  'Title',
  'Phone',
  'LinkedIn URL',
  'City',
  'State',
  'Country',
  'Timezone',
  'Notes',
  'Industry',
  'Employees',
  'Website',
] as const;

/** `small`: ~250 bytes a row (50,000 rows ≈ 12 MB); `large`: ~1 KB a row with long notes (50,000 rows ≈ 50 MB). */
export type LeadFileSize = 'small' | 'large';

export interface GenerateOptions {
  rows: number;
  size: LeadFileSize;
  seed?: number;
}

export interface GeneratedCsv {
  csv: Buffer;
  rows: number;
  /** Rows whose email can never be valid (missing, malformed). */
  invalidEmails: number;
  /** Rows that repeat an earlier row's email in another case or padding. */
  repeatedEmails: number;
}

/** Average row bytes, CRLF included; each row aims within ±spread of it, and the running total is steered to it. */
const ROW_BYTES: Readonly<Record<LeadFileSize, { mean: number; spread: number }>> = {
  small: { mean: 250, spread: 60 },
  large: { mean: 1000, spread: 350 },
};
const INVALID_EMAIL_RATE = 0.03;
const REPEAT_EMAIL_RATE = 0.05;
const DEFAULT_SEED = 20_251_127;

const FREE_MAIL_RATE = 0.2;
const TOTAL_WEIGHT = COUNTRIES.reduce((sum, country) => sum + country.weight, 0);

/** Latin letters that NFD does not decompose, for email local parts. */
const FOLD: Record<string, string> = { ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', ß: 'ss', æ: 'ae', Æ: 'Ae', đ: 'd', ð: 'd' };

function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[łŁøØßæÆđð]/g, (char) => FOLD[char])
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function pickCountry(random: Random): CountrySpec {
  let ticket = random.next() * TOTAL_WEIGHT;
  for (const country of COUNTRIES) {
    ticket -= country.weight;
    if (ticket < 0) return country;
  }
  return COUNTRIES[0];
}

/** Names as exports write them: mostly Title Case, some ALL CAPS, some lower case, some padded. */
function styleName(random: Random, name: string): string {
  const roll = random.next();
  if (roll < 0.06) return name.toUpperCase();
  if (roll < 0.1) return name.toLowerCase();
  if (roll < 0.13) return ` ${name}  `;
  return name;
}

function companyName(random: Random, country: CountrySpec): { name: string; slug: string } {
  const base = `${random.pick(COMPANY_WORDS)}${random.pick(COMPANY_WORDS).toLowerCase()}`;
  const tail = random.pick(COMPANY_TAILS);
  const stem = tail ? `${base} ${tail}` : base;
  const suffix = random.pick(country.companySuffixes);
  const name = suffix.startsWith(',') ? `${stem}${suffix}` : `${stem} ${suffix}`;
  return { name: random.chance(0.03) ? `"${base}" ${suffix}` : name, slug: asciiSlug(stem) };
}

function linkedinUrl(random: Random, host: string, first: string, last: string): string {
  if (random.chance(0.08)) return '';
  const base = `${asciiSlug(first)}-${asciiSlug(last)}`;
  const slug = random.chance(0.6) ? `${base}-${random.int(1, 0xfffffff).toString(16)}` : base;
  const accented = encodeURIComponent(`${first}-${last}`.toLowerCase().replace(/\s+/g, '-'));
  const domain = random.chance(0.5) ? `${host}.linkedin.com` : 'www.linkedin.com';
  return random.pick([
    `https://www.linkedin.com/in/${slug}`,
    `https://www.linkedin.com/in/${slug}/`,
    `linkedin.com/in/${slug}`,
    `www.linkedin.com/in/${slug}/`,
    `http://${domain}/in/${slug}`,
    `https://${domain}/in/${slug}/?originalSubdomain=${host}`,
    `https://www.linkedin.com/in/${slug}?trk=public_profile_browsemap`,
    `HTTPS://WWW.LINKEDIN.COM/IN/${slug.toUpperCase()}/`,
    `https://linkedin.com/in/${accented}`,
    `https://www.linkedin.com/in/${slug}/?utm_source=share&utm_medium=member_desktop`,
    `https://www.linkedin.com/pub/${base}/1a/2b3/4c5`,
    `${host}.linkedin.com/in/${slug}`,
  ]);
}

function website(random: Random, domain: string): string {
  if (random.chance(0.07)) return '';
  return random.pick([
    domain,
    `www.${domain}`,
    `https://www.${domain}`,
    `http://${domain}/`,
    `https://${domain}/?utm_source=linkedin`,
    `WWW.${domain.toUpperCase()}`,
    `https://www.${domain}/en/`,
  ]);
}

const INVALID_EMAIL_FORMS: Array<(local: string, domain: string) => string> = [
  (local, domain) => `${local}.${domain}`,
  (local, domain) => `${local}@@${domain}`,
  (local, domain) => `${local.slice(0, 1)} ${local.slice(1)}@${domain}`,
  (local, domain) => `${local}@${domain.split('.')[0]}`,
  (local) => `${local}@`,
  (_local, domain) => `@${domain}`,
  (local, domain) => `${local}..x@${domain}`,
  () => '',
  () => 'N/A',
  (local, domain) => `${local}@${domain},${local}@backup.${domain}`,
];

/** Emails as exports write them: lower case, Capitalised, SHOUTED, padded. */
function styleEmail(random: Random, email: string): string {
  const roll = random.next();
  if (roll < 0.35) return email;
  if (roll < 0.7)
    return email.replace(/(^|[.@])([a-z])/g, (_match, sep: string, char: string) => sep + char.toUpperCase());
  if (roll < 0.8) return email.toUpperCase();
  if (roll < 0.9) return `  ${email} `;
  return ` ${email.replace(/^./, (char) => char.toUpperCase())}`;
}

/** The same address in another case or padding, so only case-insensitive de-duplication catches it. */
function repeatVariant(random: Random, email: string): string {
  const trimmed = email.trim();
  const flipped = trimmed === trimmed.toLowerCase() ? trimmed.toUpperCase() : trimmed.toLowerCase();
  return random.pick([flipped, ` ${flipped}`, flipped.replace(/^./, (char) => char.toUpperCase())]);
}

function notes(random: Random, budget: number): string {
  if (budget < 24) return '';
  let text = random.pick(NOTE_SENTENCES);
  while (Buffer.byteLength(text) < budget - 30) text += random.pick(NOTE_JOINS) + random.pick(NOTE_SENTENCES);
  return text;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(values: string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Builds one CSV of `rows` data rows (plus the header row); the same options always give the same bytes. */
export function generateLeadsCsv(options: GenerateOptions): GeneratedCsv {
  const random = new Random(options.seed ?? DEFAULT_SEED);
  const { mean, spread } = ROW_BYTES[options.size];
  const lines: string[] = [csvLine([...LEAD_CSV_HEADERS])];
  const used = new Set<string>();
  const validEmails: string[] = [];
  let invalidEmails = 0;
  let repeatedEmails = 0;
  let bytes = 0;

  for (let row = 0; row < options.rows; row++) {
    const country = pickCountry(random);
    const first = random.chance(0.12) ? random.pick(WORLD_FIRST_NAMES) : random.pick(country.firstNames);
    const last = random.chance(0.12) ? random.pick(WORLD_LAST_NAMES) : random.pick(country.lastNames);
    const company = companyName(random, country);
    const domain = `${company.slug}.${country.tld}`;
    const [city, state] = random.pick(country.places);

    let email: string;
    if (validEmails.length > 100 && random.chance(REPEAT_EMAIL_RATE)) {
      email = repeatVariant(random, random.pick(validEmails));
      repeatedEmails++;
    } else {
      const firstSlug = asciiSlug(first) || 'contact';
      const lastSlug = asciiSlug(last) || 'lead';
      const mailDomain = random.chance(FREE_MAIL_RATE) ? random.pick(country.freeMail) : domain;
      const local = random.pick([
        `${firstSlug}.${lastSlug}`,
        `${firstSlug[0]}${lastSlug}`,
        `${firstSlug}${lastSlug}`,
        `${firstSlug}_${lastSlug}`,
        `${firstSlug}`,
        `${firstSlug[0]}.${lastSlug}`,
      ]);
      if (random.chance(INVALID_EMAIL_RATE)) {
        email = random.pick(INVALID_EMAIL_FORMS)(local, mailDomain);
        invalidEmails++;
      } else {
        let address = `${local}@${mailDomain}`;
        for (let n = random.int(2, 99); used.has(address); n += random.int(1, 50))
          address = `${local}${n}@${mailDomain}`;
        used.add(address);
        email = styleEmail(random, address);
        validEmails.push(email);
      }
    }

    const values = [
      email,
      styleName(random, first),
      styleName(random, last),
      company.name,
      random.pick(TITLES),
      random.chance(0.05) ? '' : country.phone(random),
      linkedinUrl(random, country.linkedinHost, first, last),
      city,
      state,
      random.chance(0.04) ? '' : random.pick(country.names),
      random.chance(0.1) ? '' : random.pick(country.timezones),
      '',
      random.pick(INDUSTRIES),
      random.pick(EMPLOYEES),
      website(random, domain),
    ];
    // Notes fill the row to its target size; the running total is steered back to the mean.
    const target = mean + (random.next() * 2 - 1) * spread + Math.max(-spread, Math.min(spread, mean * row - bytes));
    values[11] = notes(random, target - Buffer.byteLength(csvLine(values)));
    const line = csvLine(values);
    bytes += Buffer.byteLength(line);
    lines.push(line);
  }
  return { csv: Buffer.from(lines.join('')), rows: options.rows, invalidEmails, repeatedEmails };
}

function parseArgs(argv: string[]): GenerateOptions {
  const options: GenerateOptions = { rows: 50_000, size: 'small' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ''];
    if (flag === '--rows' && /^\d+$/.test(value)) options.rows = Number(value);
    else if (flag === '--seed' && /^\d+$/.test(value)) options.seed = Number(value);
    else if (flag === '--size' && (value === 'small' || value === 'large')) options.size = value;
    else throw new Error(`Usage: gen-leads.ts [--rows N] [--size small|large] [--seed N] (bad argument: ${flag})`);
  }
  return options;
}

if (require.main === module) {
  try {
    const generated = generateLeadsCsv(parseArgs(process.argv.slice(2)));
    process.stdout.write(generated.csv);
    process.stderr.write(
      `${generated.rows} rows, ${generated.csv.length} bytes, ${generated.invalidEmails} invalid emails, ` +
        `${generated.repeatedEmails} repeated emails\n`,
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
