/** Matching a header to the lead field it names: normalisation, the alias index, numbered and affixed families. */
import { isLinkedinUrl } from '../normalize/linkedin';
import { AliasTarget, HEADER_ALIASES } from './header-alias-table';
import {
  AFFIXES,
  COMPANY_TARGETS,
  COMPANY_WORDS,
  MAX_AFFIXES,
  MAX_MATCHED_HEADER_LENGTH,
  OTHER_PERSON_WORDS,
  normalizeHeader,
} from './header-affixes';

export type { AliasTarget } from './header-alias-table';
export { normalizeHeader } from './header-affixes';

interface AliasEntry {
  target: AliasTarget;
  canonical: boolean;
}

function buildIndex(): Map<string, AliasEntry> {
  const index = new Map<string, AliasEntry>();
  for (const [target, { canonical, aliases }] of Object.entries(HEADER_ALIASES) as [
    AliasTarget,
    { canonical: string[]; aliases: string[] },
  ][]) {
    for (const [spellings, isCanonical] of [
      [canonical, true],
      [aliases, false],
    ] as const) {
      for (const spelling of spellings) {
        const key = normalizeHeader(spelling);
        const existing = index.get(key);
        // A spelling claimed by two fields would make detection depend on table order: refuse to start instead.
        if (existing && existing.target !== target) {
          throw new Error(`Header alias "${spelling}" is listed for both ${existing.target} and ${target}`);
        }
        if (!existing) index.set(key, { target, canonical: isCanonical });
      }
    }
  }
  return index;
}

const ALIAS_INDEX = buildIndex();

/**
 * Aliases too generic to trust alone: they name their field only if the column's values fit it. "URL" is the
 * profile link in LinkedIn's Connections export, but a website or a CRM record link in other tools.
 */
const VALUE_CHECKED_ALIASES = new Map<string, (value: string) => boolean>([
  [normalizeHeader('URL'), isLinkedinUrl],
  // Outlook's "Title" (and its "Titel", "Titre", "Tytuł") holds Mr/Ms/Dr in many exports: not a job title.
  ...['Title', 'Titel', 'Titre', 'Tytuł'].map((header) => [normalizeHeader(header), isNotHonorific] as const),
]);

const HONORIFIC =
  /^(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|m|mme|mlle|dhr|mevr|sr|sra|srta|sig|sig\.ra|pan|pani|г-н|г-жа)\.?$/i;

function isNotHonorific(value: string): boolean {
  return !HONORIFIC.test(value.trim());
}

export interface HeaderMatch {
  target: AliasTarget;
  /** 0 canonical spelling, 1 other alias, 2 numbered or prefixed family member, 3 one on a secondary record. */
  rank: 0 | 1 | 2 | 3;
  /** The number in a numbered column ("E-mail 2 - Value" → 2); 1 when the header has none. */
  number: number;
  /** For a generic header: what most of the column's values must pass for the match to hold. */
  valuesMustPass?: (value: string) => boolean;
}

const SALESFORCE_CUSTOM = /__c$/i;

/** The field a header names, if any, and how strongly (see `HeaderMatch`). */
export function matchHeader(header: string): HeaderMatch | undefined {
  if (header.length > MAX_MATCHED_HEADER_LENGTH) return undefined;
  // Salesforce API names of custom fields ("Mobile_Phone__c") belong to the family of their label.
  const salesforceCustom = SALESFORCE_CUSTOM.test(header);
  const key = normalizeHeader(salesforceCustom ? header.replace(SALESFORCE_CUSTOM, '') : header);
  if (OTHER_PERSON_WORDS.some((word) => key.includes(word))) return undefined;
  const direct = salesforceCustom ? undefined : ALIAS_INDEX.get(key);
  if (direct) {
    const match: HeaderMatch = { target: direct.target, rank: direct.canonical ? 0 : 1, number: 1 };
    const check = VALUE_CHECKED_ALIASES.get(key);
    return check ? { ...match, valuesMustPass: check } : match;
  }

  // Numbered families ("Email 1", "email_2", "Phone 3 - Value", "Address 1 - City"): drop the digits, keep the order.
  const digits = /[0-9]+/.exec(key);
  const family = matchFamily(digits ? key.replace(/[0-9]+/g, '') : key, 0);
  if (!family) return undefined;
  return { target: family.target, rank: family.weak ? 3 : 2, number: digits ? Number(digits[0]) : 1 };
}

interface FamilyMatch {
  target: AliasTarget;
  weak: boolean;
}

function matchFamily(key: string, depth: number): FamilyMatch | undefined {
  const entry = ALIAS_INDEX.get(key);
  if (entry) return { target: entry.target, weak: false };
  if (depth === MAX_AFFIXES) return undefined;

  // "Company City", "Organization 1 - Name": the company's, not the person's.
  const prefix = COMPANY_WORDS.find((word) => key.length > word.length && key.startsWith(word));
  if (prefix) return companyField(matchFamily(key.slice(prefix.length), depth + 1));
  // "City (Company)", "Telefon Firma" likewise; but "Person - Organization" is the person's company.
  const suffix = COMPANY_WORDS.find((word) => key.length > word.length && key.endsWith(word));
  const ofCompany = suffix ? matchFamily(key.slice(0, -suffix.length), depth + 1) : undefined;
  if (ofCompany) return companyField(ofCompany);

  for (const affix of AFFIXES) {
    if (key.length <= affix.text.length) continue;
    let rest: string | undefined;
    if (affix.at === 'prefix' && key.startsWith(affix.text)) rest = key.slice(affix.text.length);
    if (affix.at === 'suffix' && key.endsWith(affix.text)) rest = key.slice(0, -affix.text.length);
    if (rest === undefined) continue;
    const inner = matchFamily(rest, depth + 1);
    if (inner) return { target: inner.target, weak: affix.weak || inner.weak };
  }
  return undefined;
}

/** What a field of a company's column is for the lead: its name is the company name, its website the website. */
function companyField(inner: FamilyMatch | undefined): FamilyMatch | undefined {
  if (!inner) return undefined;
  // "Employer Name", "Organization 1 - Name": a company's name is the company name, not the person's.
  if (inner.target === 'fullName') return { target: 'companyName', weak: inner.weak };
  return COMPANY_TARGETS.has(inner.target) ? inner : undefined;
}
