/** The words around a field's name in a header ("Mailing City", "Phone (Mobile)", "Company City") and what they mean. */
import type { AliasTarget } from './header-alias-table';

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

/**
 * Words that put a person's field on one of their records: "Mailing City", "Business Phone", "Address 1 - Region",
 * "Person - Email", "Contact Name". A match through them ranks below the plain spellings.
 */
export const PERSON_PREFIXES = [
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
  'recipient',
  // Apollo's "First Phone"; "Second …" and "Third …" are weak.
  'first',
];

/** Prefixes of a person's secondary records: they match, but lose to any other candidate ("Home City" vs "Business City"). */
export const WEAK_PREFIXES = [
  'home',
  'other',
  'personal',
  'private',
  'secondary',
  'tertiary',
  'alternate',
  'alternative',
  'second',
  'third',
];

/**
 * Record words of Outlook's localized exports, which put them before or after the field ("Telefon geschäftlich",
 * "Ville (bureau)", "Рабочий телефон", "Город (раб. адрес)", "勤務先 市区町村"): work records first, then home ones.
 */
export const LOCALIZED_RECORD_WORDS = [
  'geschäftlich',
  'haupt',
  'bureau',
  'del trabajo',
  'de trabajo',
  'trabajo',
  'do endereço comercial',
  'comercial',
  'ufficio',
  'uff',
  'werkadres',
  'op werk',
  'werk',
  'służbowy',
  'służbowa',
  'służbowe',
  'рабочий',
  'раб. адрес',
  '勤務先',
];
export const LOCALIZED_HOME_WORDS = [
  'privat',
  'weitere',
  'weiterer',
  'weiteres',
  'weiteres/e',
  'domicile',
  'autre',
  'particular',
  'del domicilio',
  'de residencia',
  'do endereço residencial',
  'residencial',
  'abitazione',
  'huisadres',
  'thuis',
  'domowy',
  'domowa',
  'domowe',
  'prywatny',
  'домашний',
  'дом. адрес',
  '自宅',
];

/** Labels after the field: Google's "E-mail 1 - Value", Pipedrive's "Person - Email - Work", "Phone (Mobile)". */
export const SUFFIXES = ['value', 'work', 'business', 'mobile', 'main', 'primary'];
export const WEAK_SUFFIXES = ['home', 'other', 'personal'];

/**
 * Prefixes of columns about the company ("Company City", "Account Owner", "Organization 1 - Location"). Such a column
 * is never the person's city, phone or LinkedIn profile; only the company's name and website are the lead's own.
 */
export const COMPANY_WORDS = [
  'company',
  'companies',
  'associated',
  'parent',
  'organization',
  'organisation',
  'org',
  'account',
  'corporate',
  'employer',
  'billing',
  'shipping',
  'firma',
  'société',
  'empresa',
  'azienda',
  'bedrijf',
]
  .map(normalizeHeader)
  .sort((a, b) => b.length - a.length);

/**
 * Words of columns about someone else than the lead: the record's owner, the sender of a campaign, an assistant or a
 * manager ("Contact Owner", "Account Owner Email", "sendUser", "Assistant's Phone"). Such a column is never the
 * person's field, whatever else its header says.
 */
export const OTHER_PERSON_WORDS = [
  'owner',
  'sender',
  'senduser',
  'assignedto',
  'assignee',
  'createdby',
  'modifiedby',
  'updatedby',
  'salesrep',
  'manager',
  'assistant',
  'assistent',
  'referredby',
  'spouse',
  'vorgesetzt',
];

export const COMPANY_TARGETS: ReadonlySet<AliasTarget> = new Set(['companyName', 'website']);

/**
 * Real field headers are short ("Organization 1 - Job Description" is among the longest). Longer ones are questions or
 * descriptions, not field names; not normalising them keeps detection fast for files with many long headers.
 */
export const MAX_MATCHED_HEADER_LENGTH = 100;

/** Prefixes and suffixes are each peeled at most this often ("Person - Email - Work" needs two). */
export const MAX_AFFIXES = 3;

type Affix = { text: string; at: 'prefix' | 'suffix'; weak: boolean };

const bothEnds = (words: string[], weak: boolean): Affix[] =>
  words.flatMap((text) => [
    { text, at: 'prefix', weak },
    { text, at: 'suffix', weak },
  ]);

// Normalised like headers ("geschäftlich" → "geschaftlich"); longest first, so "personal" is tried before "person".
export const AFFIXES: Affix[] = [
  ...PERSON_PREFIXES.map((text): Affix => ({ text, at: 'prefix', weak: false })),
  ...WEAK_PREFIXES.map((text): Affix => ({ text, at: 'prefix', weak: true })),
  ...SUFFIXES.map((text): Affix => ({ text, at: 'suffix', weak: false })),
  ...WEAK_SUFFIXES.map((text): Affix => ({ text, at: 'suffix', weak: true })),
  ...bothEnds(LOCALIZED_RECORD_WORDS, false),
  ...bothEnds(LOCALIZED_HOME_WORDS, true),
]
  .map((affix) => ({ ...affix, text: normalizeHeader(affix.text) }))
  .sort((a, b) => b.text.length - a.text.length);
