import type { LeadField } from '../leads/lead-fields';
import { isLinkedinUrl } from './normalize/linkedin';

/** What an auto-detected column can become: a lead field, or a full name that is split into firstName/lastName later. */
export type AliasTarget = LeadField | 'fullName';

/**
 * Header spellings seen in real exports (Apollo, LinkedIn, HubSpot, Salesforce, Google Contacts, Outlook, Mailchimp,
 * Zoho, Pipedrive, Lemlist/Instantly/Smartlead, Sales Navigator tools) and in hand-made spreadsheets, and the names
 * Outlook's localized exports and local tools use in German, French, Spanish, Portuguese, Italian, Dutch, Polish,
 * Russian and Japanese. They are written as the exports spell them and normalised when the index is built, so
 * "E-mail Address", "Email_Address" and "emailAddress" are one entry.
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
      'Recipient Email',
      'E-Mail-Adresse',
      'Mailadresse',
      'Adresse e-mail',
      'Adresse de messagerie',
      'Adresse électronique',
      'Courriel',
      'Correo',
      'Correo electrónico',
      'Dirección de correo electrónico',
      'Dirección de correo',
      'Endereço de email',
      'Endereço de e-mail',
      'Endereço eletrônico',
      'Indirizzo posta elettronica',
      'Indirizzo e-mail',
      'Posta elettronica',
      'E-mailadres',
      'Adres e-mail',
      'Адрес эл. почты',
      'Адрес электронной почты',
      'Электронная почта',
      'Эл. почта',
      '電子メール アドレス',
      '電子メール',
      'メールアドレス',
      'メール',
    ],
  },
  firstName: {
    canonical: ['First Name'],
    aliases: [
      'First',
      'Given Name',
      'FNAME',
      'Forename',
      'Vorname',
      'Prénom',
      'Nombre',
      'Nome',
      'Primeiro nome',
      'Voornaam',
      'Imię',
      'Имя',
      '名',
    ],
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
      'Sobrenome',
      'Apelido',
      'Cognome',
      'Achternaam',
      'Nazwisko',
      'Фамилия',
      '姓',
    ],
  },
  fullName: {
    canonical: ['Full Name', 'Name'],
    aliases: [
      'Display Name',
      'Vollständiger Name',
      'Nom complet',
      'Nombre completo',
      'Nome completo',
      'Volledige naam',
      'Naam',
      'Imię i nazwisko',
      'ФИО',
      'Полное имя',
      '氏名',
      '名前',
    ],
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
      'Compañía',
      'Organización',
      'Organização',
      'Società',
      'Azienda',
      'Bedrijf',
      'Organizacja',
      'Организация',
      'Компания',
      '会社名',
      '会社',
    ],
  },
  jobTitle: {
    // Localized words that only mean the job are canonical: they beat a "Title"/"Titel" column of honorifics.
    canonical: [
      'Job Title',
      'Berufsbezeichnung',
      'Fonction',
      'Puesto',
      'Cargo',
      'Posizione',
      'Functie',
      'Stanowisko',
      'Должность',
      '役職',
    ],
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
      'Titel',
      'Poste',
      'Titre',
      'Qualifica',
      'Ruolo',
      'Tytuł',
      '肩書き',
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
      'Teléfono móvil',
      'Celular',
      'Telefone',
      'Telemóvel',
      'Telefono',
      'Cellulare',
      'Telefoon',
      'Mobiele telefoon',
      'Mobiel',
      'Telefon komórkowy',
      'Komórka',
      'Телефон',
      'Мобильный телефон',
      '電話',
      '電話番号',
      '携帯電話',
      'Téléphone mobile',
      'Tél. mobile',
      'Téléphone portable',
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
    aliases: [
      'Town',
      'Locality',
      'Stadt',
      'Ort',
      'Ville',
      'Ciudad',
      'Cidade',
      'Città',
      'Plaats',
      'Woonplaats',
      'Miasto',
      'Miejscowość',
      'Город',
      '市区町村',
      '都市',
    ],
  },
  state: {
    canonical: ['State'],
    aliases: [
      'State/Region',
      'State/Province',
      'State or Province',
      'Region',
      'Province',
      'Bundesland',
      'Dép/Région',
      'Provincia',
      'Provincia o estado',
      'Estado',
      'Provincie',
      'Województwo',
      'Область',
      '都道府県',
    ],
  },
  country: {
    canonical: ['Country'],
    // Mailchimp exports the subscriber's country code as "CC".
    aliases: [
      'Country/Region',
      'Country Name',
      'Country Code',
      'CC',
      'Land',
      'Land/Region',
      'Pays',
      'Pays/Région',
      'País',
      'País o región',
      'País/Região',
      'Paese',
      'Paese/area geografica',
      'Land/regio',
      'Kraj',
      'Kraj/region',
      'Страна',
      'Страна или регион',
      '国',
      '国/地域',
    ],
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
  'recipient',
  // Apollo's "First Phone"; "Second …" and "Third …" are weak.
  'first',
];

/** Prefixes of a person's secondary records: they match, but lose to any other candidate ("Home City" vs "Business City"). */
const WEAK_PREFIXES = [
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
const LOCALIZED_RECORD_WORDS = [
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
const LOCALIZED_HOME_WORDS = [
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
const SUFFIXES = ['value', 'work', 'business', 'mobile', 'main', 'primary'];
const WEAK_SUFFIXES = ['home', 'other', 'personal'];

/**
 * Prefixes of columns about the company ("Company City", "Account Owner", "Organization 1 - Location"). Such a column
 * is never the person's city, phone or LinkedIn profile; only the company's name and website are the lead's own.
 */
const COMPANY_WORDS = [
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
const OTHER_PERSON_WORDS = [
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

const COMPANY_TARGETS: ReadonlySet<AliasTarget> = new Set(['companyName', 'website']);

/**
 * Real field headers are short ("Organization 1 - Job Description" is among the longest). Longer ones are questions or
 * descriptions, not field names; not normalising them keeps detection fast for files with many long headers.
 */
const MAX_MATCHED_HEADER_LENGTH = 100;

/** Prefixes and suffixes are each peeled at most this often ("Person - Email - Work" needs two). */
const MAX_AFFIXES = 3;

type Affix = { text: string; at: 'prefix' | 'suffix'; weak: boolean };

const bothEnds = (words: string[], weak: boolean): Affix[] =>
  words.flatMap((text) => [
    { text, at: 'prefix', weak },
    { text, at: 'suffix', weak },
  ]);

// Normalised like headers ("geschäftlich" → "geschaftlich"); longest first, so "personal" is tried before "person".
const AFFIXES: Affix[] = [
  ...PERSON_PREFIXES.map((text): Affix => ({ text, at: 'prefix', weak: false })),
  ...WEAK_PREFIXES.map((text): Affix => ({ text, at: 'prefix', weak: true })),
  ...SUFFIXES.map((text): Affix => ({ text, at: 'suffix', weak: false })),
  ...WEAK_SUFFIXES.map((text): Affix => ({ text, at: 'suffix', weak: true })),
  ...bothEnds(LOCALIZED_RECORD_WORDS, false),
  ...bothEnds(LOCALIZED_HOME_WORDS, true),
]
  .map((affix) => ({ ...affix, text: normalizeHeader(affix.text) }))
  .sort((a, b) => b.text.length - a.text.length);

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
