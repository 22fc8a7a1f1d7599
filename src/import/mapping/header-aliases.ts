import type { LeadField } from '../../leads/lead-fields';
import { isLinkedinUrl } from '../normalize/linkedin';

/** What an auto-detected column can become: a lead field, or a full name that is split into firstName/lastName later. */
export type AliasTarget = LeadField | 'fullName';

/**
 * Header spellings seen in real exports (Apollo, LinkedIn, HubSpot, Salesforce, Google Contacts, Outlook, Mailchimp,
 * Zoho, Pipedrive, Lemlist/Instantly/Smartlead, Sales Navigator tools) and in hand-made spreadsheets, including a few
 * German, French and Spanish ones. They are written as the exports spell them and normalised when the index is built,
 * so "E-mail Address", "Email_Address" and "emailAddress" are one entry.
 *
 * `canonical` spellings outrank `aliases` when two columns compete for one field: Outlook has "Title" (Mr/Ms) and
 * "Job Title", Apollo has "Company" and "Company Name for Emails". Numbered and prefixed spellings ("E-mail 2 - Value",
 * "Mailing City") are not listed: `matchHeader` derives them from these entries.
 */
const HEADER_ALIASES: Record<AliasTarget, { canonical: string[]; aliases: string[] }> = {
  email: {
    canonical: ['Email', 'Email Address'],
    aliases: [
      'Mail',
      'Emails',
      'Email ID',
      'Work Email',
      'Business Email',
      'Professional Email',
      'Verified Email',
      'E-Mail-Adresse',
      'Mailadresse',
      'Adresse e-mail',
      'Courriel',
      'Correo',
      'Correo electrónico',
    ],
  },
  firstName: {
    canonical: ['First Name'],
    aliases: ['First', 'Given Name', 'FNAME', 'Forename', 'Vorname', 'Prénom', 'Nombre'],
  },
  lastName: {
    canonical: ['Last Name'],
    aliases: [
      'Last',
      'Surname',
      'Family Name',
      'LNAME',
      'Nachname',
      'Familienname',
      'Nom',
      'Nom de famille',
      'Apellido',
      'Apellidos',
    ],
  },
  fullName: {
    canonical: ['Full Name', 'Name'],
    aliases: ['Display Name', 'Vollständiger Name', 'Nom complet', 'Nombre completo'],
  },
  companyName: {
    canonical: ['Company Name', 'Company'],
    aliases: [
      'Company Name for Emails',
      'Company / Account',
      'Associated Company',
      'Current Company',
      'Organization',
      'Organisation',
      'Org',
      'Account',
      'Employer',
      'Business Name',
      'Firma',
      'Firmenname',
      'Unternehmen',
      'Société',
      'Entreprise',
      'Empresa',
    ],
  },
  jobTitle: {
    canonical: ['Job Title'],
    aliases: [
      'Title',
      'Position',
      'Job Position',
      'Role',
      'Job Role',
      'Job',
      'Designation',
      'Current Title',
      'Organization Title',
      'Organisation Title',
      'Berufsbezeichnung',
      'Titel',
      'Poste',
      'Fonction',
      'Titre',
      'Cargo',
      'Puesto',
    ],
  },
  phone: {
    canonical: ['Phone', 'Phone Number'],
    aliases: [
      'Mobile',
      'Mobile Phone',
      'Mobile Number',
      'Mobile Phone Number',
      'Cell',
      'Cell Phone',
      'Telephone',
      'Telephone Number',
      'Tel',
      'Work Phone',
      'Work Direct Phone',
      'Direct Phone',
      'Direct Dial',
      'Business Phone',
      'Primary Phone',
      'Telefon',
      'Telefonnummer',
      'Mobiltelefon',
      'Handy',
      'Téléphone',
      'Portable',
      'Teléfono',
      'Móvil',
      'Celular',
    ],
  },
  linkedinUrl: {
    canonical: ['LinkedIn URL', 'LinkedIn'],
    aliases: [
      'Person Linkedin Url',
      'LinkedIn Profile',
      'LinkedIn Profile URL',
      'LinkedIn Link',
      'LinkedIn Profile Link',
      'Profile URL',
      // LinkedIn's own Connections export names the profile link just "URL" (see VALUE_CHECKED_ALIASES).
      'URL',
    ],
  },
  website: {
    canonical: ['Website', 'Website URL'],
    aliases: [
      'Web Site',
      'Web',
      'Web Page',
      'Web Address',
      'Homepage',
      'Site',
      'Domain',
      'Company Website',
      'Company Domain',
      'Webseite',
      'Site web',
      'Sitio web',
    ],
  },
  city: {
    canonical: ['City'],
    aliases: ['Town', 'Locality', 'Stadt', 'Ort', 'Ville', 'Ciudad'],
  },
  state: {
    canonical: ['State'],
    aliases: ['State/Region', 'State/Province', 'State or Province', 'Region', 'Province', 'Bundesland', 'Provincia'],
  },
  country: {
    canonical: ['Country'],
    // Mailchimp exports the subscriber's country code as "CC".
    aliases: ['Country/Region', 'Country Name', 'Country Code', 'CC', 'Land', 'Pays', 'País'],
  },
  timezone: {
    canonical: ['Timezone', 'Time Zone'],
    aliases: ['TZ', 'Zeitzone', 'Fuseau horaire', 'Zona horaria'],
  },
  notes: {
    canonical: ['Notes', 'Note'],
    aliases: ['Comments', 'Comment', 'Remarks', 'Description', 'Notizen', 'Remarques', 'Notas'],
  },
};

/**
 * Words that put a person's field on one of their records: "Mailing City", "Business Phone", "Address 1 - Region",
 * "Person - Email", "Contact Name". A match through them ranks below the plain spellings.
 */
const PERSON_PREFIXES = [
  'mailing',
  'business',
  'work',
  'office',
  'address',
  'primary',
  'main',
  'direct',
  'current',
  'person',
  'contact',
  'lead',
];

/** Prefixes of a person's secondary records: they match, but lose to any other candidate ("Home City" vs "Business City"). */
const WEAK_PREFIXES = ['home', 'other', 'personal', 'private', 'secondary', 'tertiary', 'alternate', 'alternative'];

/** Labels after the field: Google's "E-mail 1 - Value", Pipedrive's "Person - Email - Work", "Phone (Mobile)". */
const SUFFIXES = ['value', 'work', 'business', 'mobile', 'main', 'primary'];
const WEAK_SUFFIXES = ['home', 'other', 'personal'];

/**
 * Prefixes of columns about the company ("Company City", "Account Owner", "Organization 1 - Location"). Such a column
 * is never the person's city, phone or LinkedIn profile; only the company's name and website are the lead's own.
 */
const COMPANY_PREFIXES = [
  'company',
  'companies',
  'organization',
  'organisation',
  'org',
  'account',
  'corporate',
  'employer',
  'billing',
  'shipping',
].sort((a, b) => b.length - a.length);

const COMPANY_TARGETS: ReadonlySet<AliasTarget> = new Set(['companyName', 'website']);

/**
 * Real field headers are short ("Organization 1 - Job Description" is among the longest). Longer ones are questions or
 * descriptions, not field names; not normalising them keeps detection fast for files with many long headers.
 */
const MAX_MATCHED_HEADER_LENGTH = 100;

/** Prefixes and suffixes are each peeled at most this often ("Person - Email - Work" needs two). */
const MAX_AFFIXES = 3;

type Affix = { text: string; at: 'prefix' | 'suffix'; weak: boolean };

// Longest first, so "personal" is tried before "person".
const AFFIXES: Affix[] = [
  ...PERSON_PREFIXES.map((text): Affix => ({ text, at: 'prefix', weak: false })),
  ...WEAK_PREFIXES.map((text): Affix => ({ text, at: 'prefix', weak: true })),
  ...SUFFIXES.map((text): Affix => ({ text, at: 'suffix', weak: false })),
  ...WEAK_SUFFIXES.map((text): Affix => ({ text, at: 'suffix', weak: true })),
].sort((a, b) => b.text.length - a.text.length);

/**
 * Lower-case, strip diacritics, drop everything that is not a letter or digit (spaces, punctuation, underscores,
 * hyphens, dots, slashes). NFKD splits "é" into "e" plus a combining mark, which the same replace removes.
 */
export function normalizeHeader(header: string): string {
  return header
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

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
const VALUE_CHECKED_ALIASES = new Map<string, (value: string) => boolean>([[normalizeHeader('URL'), isLinkedinUrl]]);

export interface HeaderMatch {
  target: AliasTarget;
  /** 0 canonical spelling, 1 other alias, 2 numbered or prefixed family member, 3 one on a secondary record. */
  rank: 0 | 1 | 2 | 3;
  /** The number in a numbered column ("E-mail 2 - Value" → 2); 1 when the header has none. */
  number: number;
  /** For a generic header: what most of the column's values must pass for the match to hold. */
  valuesMustPass?: (value: string) => boolean;
}

/** The field a header names, if any, and how strongly (see `HeaderMatch`). */
export function matchHeader(header: string): HeaderMatch | undefined {
  if (header.length > MAX_MATCHED_HEADER_LENGTH) return undefined;
  const key = normalizeHeader(header);
  const direct = ALIAS_INDEX.get(key);
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

  const companyPrefix = COMPANY_PREFIXES.find((prefix) => key.length > prefix.length && key.startsWith(prefix));
  if (companyPrefix) {
    const inner = matchFamily(key.slice(companyPrefix.length), depth + 1);
    if (!inner) return undefined;
    // "Employer Name", "Organization 1 - Name": a company's name is the company name, not the person's.
    if (inner.target === 'fullName') return { target: 'companyName', weak: inner.weak };
    return COMPANY_TARGETS.has(inner.target) ? inner : undefined;
  }

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
