import { ErrorCode, ValidationError } from '../../common/app-error';
import { AliasTarget, matchHeader, normalizeHeader } from './header-aliases';
import { ColumnTarget, MappingDetector } from './mapping-detector';

const detector = new MappingDetector();

const NO_EMAIL = 'No email column detected. Provide a "mapping" field or ensure your CSV has an "email" column.';
const CHOICES =
  'Use one of: email, firstName, lastName, companyName, jobTitle, phone, linkedinUrl, website, city, state, country, timezone, notes, fullName, "skip" or "custom:<Name>".';

/** A user mapping as the API receives it: parsed from JSON, so "__proto__" is plain data. */
function mapping(json: Record<string, unknown>): Record<string, string> {
  const parsed = detector.parseMapping(JSON.stringify(json));
  if (!parsed) throw new Error('empty mapping');
  return parsed;
}

function errorOf(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(validation.status).toBe(400);
    return validation;
  }
  throw new Error('expected a ValidationError');
}

/** The detected mapping must give `fields` to these headers and `custom:<Header>` to every other one. */
function expectMapping(headers: string[], fields: Record<string, ColumnTarget>): void {
  const expected = Object.fromEntries(headers.map((header) => [header, fields[header] ?? `custom:${header}`]));
  expect({ ...detector.detect(headers).mapping }).toEqual(expected);
}

const csv = (row: string): string[] => row.split(',');

describe('MappingDetector.parseMapping', () => {
  it.each([undefined, '', '   ', '\n\t'])('treats %j as no mapping', (raw) => {
    expect(detector.parseMapping(raw)).toBeUndefined();
  });

  it.each(['{', 'nope', "{'Email':'email'}", '[]', '["email"]', 'null', '42', '"email"', 'true'])(
    'rejects %s as invalid mapping JSON',
    (raw) => {
      expect(errorOf(() => detector.parseMapping(raw)).message).toBe('Invalid mapping JSON');
    },
  );

  it.each([1, null, true, ['email'], { field: 'email' }])(
    'rejects the non-string value %j, naming the key',
    (value) => {
      expect(errorOf(() => detector.parseMapping(JSON.stringify({ Email: value }))).message).toBe(
        'Mapping for column "Email" must be a string: a lead field (email, firstName, …), "skip" or "custom:<Name>"',
      );
    },
  );

  it('returns a null-prototype record in which "__proto__" and "constructor" are plain keys', () => {
    const parsed = detector.parseMapping('{"__proto__": "email", "constructor": "skip", "Name": "fullName"}');
    expect(parsed).toBeDefined();
    expect(Object.getPrototypeOf(parsed)).toBeNull();
    expect(Object.entries(parsed!)).toEqual([
      ['__proto__', 'email'],
      ['constructor', 'skip'],
      ['Name', 'fullName'],
    ]);
  });

  it('accepts an empty object as an empty mapping', () => {
    expect(Object.keys(detector.parseMapping(' {} ')!)).toEqual([]);
  });
});

describe('header aliases', () => {
  it.each([
    ['Prénom', 'prenom'],
    ['E-mail_Address.', 'emailaddress'],
    ['  State / Province ', 'stateprovince'],
    ['Société', 'societe'],
    ['Person - Email - Work', 'personemailwork'],
    ['ＥＭＡＩＬ', 'email'],
  ])('normalises %j to %j', (header, key) => {
    expect(normalizeHeader(header)).toBe(key);
  });

  const families: [AliasTarget, string[]][] = [
    [
      'email',
      [
        'Email',
        'EMAIL',
        'email_address',
        'emailAddress',
        'Email Address',
        'E-mail Address',
        'E-Mail',
        'Work Email',
        'E-mail 1 - Value',
        'E-mail 2 - Value',
        'E-mail 2 Address',
        'Email 1',
        'email_2',
        'Email Address 2',
        'Contact Email',
        'Primary Email',
        'Personal Email',
        'Secondary Email',
        'Person - Email - Work',
        'Lead Email',
        'E-Mail-Adresse',
        'Courriel',
      ],
    ],
    [
      'firstName',
      [
        'First Name',
        'FirstName',
        'first_name',
        'Given Name',
        'FNAME',
        'First',
        'Person - First name',
        'Contact First Name',
        'Vorname',
        'Prénom',
        'Prenom',
      ],
    ],
    [
      'lastName',
      ['Last Name', 'LastName', 'last_name', 'Surname', 'Family Name', 'LNAME', 'Lead Last Name', 'Nachname', 'Nom'],
    ],
    [
      'fullName',
      ['Name', 'Full Name', 'full_name', 'Contact Name', 'Person - Name', 'Lead Name', 'Display Name', 'Nom complet'],
    ],
    [
      'companyName',
      [
        'Company',
        'Company Name',
        'companyName',
        'Company Name for Emails',
        'Organization',
        'Organization Name',
        'Organization 1 - Name',
        'Organization - Name',
        'Person - Organization',
        'Account Name',
        'Company / Account',
        'Employer Name',
        'Firma',
        'Société',
      ],
    ],
    [
      'jobTitle',
      [
        'Title',
        'Job Title',
        'jobTitle',
        'Position',
        'Organization Title',
        'Organization 1 - Title',
        'Person - Job title',
        'Poste',
      ],
    ],
    [
      'phone',
      [
        'Phone',
        'Phone Number',
        'phone_number',
        'Mobile',
        'Mobile Phone',
        'Work Direct Phone',
        'Business Phone',
        'Home Phone',
        'Phone 1 - Value',
        'Phone 3 - Value',
        'Phone 2',
        'Person - Phone - Mobile',
        'Telefon',
        'Téléphone',
      ],
    ],
    [
      'linkedinUrl',
      [
        'LinkedIn URL',
        'linkedinUrl',
        'LinkedIn',
        'Person Linkedin Url',
        'LinkedIn Profile',
        'LinkedIn Profile URL',
        'URL',
      ],
    ],
    [
      'website',
      [
        'Website',
        'Website URL',
        'Web Page',
        'Homepage',
        'Website 1 - Value',
        'Company Website',
        'Company Domain',
        'companyDomain',
        'Account Website',
        'Personal Web Page',
      ],
    ],
    [
      'city',
      ['City', 'Mailing City', 'Business City', 'Home City', 'Address 1 - City', 'Person City', 'Ville', 'Stadt'],
    ],
    [
      'state',
      [
        'State',
        'State/Region',
        'State/Province',
        'Region',
        'Province',
        'Mailing State/Province',
        'Business State',
        'Address 1 - Region',
      ],
    ],
    [
      'country',
      [
        'Country',
        'Country/Region',
        'Mailing Country',
        'Business Country/Region',
        'Address 1 - Country',
        'Pays',
        'Land',
      ],
    ],
    ['timezone', ['Time Zone', 'Timezone', 'time_zone', 'TZ']],
    ['notes', ['Notes', 'Note', 'Comments', 'Description', 'NOTES']],
  ];

  it.each(families.flatMap(([target, headers]) => headers.map((header) => [header, target] as const)))(
    '%j is %s',
    (header, target) => {
      expect(matchHeader(header)?.target).toBe(target);
    },
  );

  it.each([
    // Type, label and status columns describe a value; they are not the value.
    'E-mail 1 - Type',
    'E-mail 1 - Label',
    'Phone 1 - Type',
    'Email Status',
    'Email Confidence',
    'Email Source',
    'Secondary Email Source',
    'Primary Email Catch-all Status',
    'Email Opt Out',
    'Email Sent',
    // About the company, never the person.
    'Company City',
    'Company State',
    'Company Country',
    'Company Phone',
    'Company Address',
    'Company Linkedin Url',
    'Company URL',
    'Company Main Phone',
    'Corporate Phone',
    'Organization 1 - Location',
    'Organization 1 - Yomi Name',
    'Account Owner',
    'Billing City',
    // Neither.
    'Industry',
    'Connected On',
    'Middle Name',
    'Phonetic First Name',
    'Given Name Yomi',
    'Name Prefix',
    'Occupation',
    'Location',
    'Address',
    'Address 1 - Street',
    'Sales Navigator URL',
    'Facebook Url',
    'Lead Source',
    'Contact Owner',
    'Network',
    'Domain Authority 2',
    '__proto__',
    'constructor',
    '---',
    '',
  ])('%j is no lead field', (header) => {
    expect(matchHeader(header)).toBeUndefined();
  });

  it.each([
    ['Email', 0, 1],
    ['Job Title', 0, 1],
    ['Title', 1, 1],
    ['Work Email', 1, 1],
    ['E-mail 1 - Value', 2, 1],
    ['E-mail 2 - Value', 2, 2],
    ['Phone 10', 2, 10],
    ['Mailing City', 2, 1],
    ['Home City', 3, 1],
    ['Home Phone 2', 3, 2],
  ])('ranks %j as rank %i, number %i', (header, rank, number) => {
    expect(matchHeader(header)).toMatchObject({ rank, number });
  });
});

describe('MappingDetector.detect', () => {
  it("reproduces the spec's example exactly", () => {
    const result = detector.detect(csv('Email,First Name,Last Name,Company,Title,Industry'));
    expect(JSON.stringify(result.mapping)).toBe(
      '{"Email":"email","First Name":"firstName","Last Name":"lastName","Company":"companyName","Title":"jobTitle","Industry":"custom:Industry"}',
    );
    expect(result.targets).toEqual(['email', 'firstName', 'lastName', 'companyName', 'jobTitle', 'custom:Industry']);
    expect(result.unusedMapping).toEqual([]);
    expect(Object.getPrototypeOf(result.mapping)).toBeNull();
  });

  describe('one column per field, the best match', () => {
    it.each([
      ['canonical beats alias', 'Work Email,Email', { Email: 'email' }],
      ['Job Title beats the honorific Title', 'Title,Job Title,Email', { 'Job Title': 'jobTitle', Email: 'email' }],
      [
        'Company beats Company Name for Emails',
        'Company Name for Emails,Company,Email',
        { Company: 'companyName', Email: 'email' },
      ],
      ['alias beats numbered', 'E-mail 1 - Value,Mail', { Mail: 'email' }],
      ['lower number first', 'E-mail 2 - Value,E-mail 1 - Value', { 'E-mail 1 - Value': 'email' }],
      ['numbers compare as numbers', 'Phone 10,Phone 2,Email', { 'Phone 2': 'phone', Email: 'email' }],
      ['left-most among equals', 'Mobile Phone,Work Direct Phone,Email', { 'Mobile Phone': 'phone', Email: 'email' }],
      [
        'business record beats home record',
        'Home City,Business City,Email',
        { 'Business City': 'city', Email: 'email' },
      ],
      ['secondary email loses', 'Secondary Email,Primary Email', { 'Primary Email': 'email' }],
    ])('%s', (_case, row, fields) => {
      expectMapping(csv(row), fields as Record<string, ColumnTarget>);
    });

    it('gives a field the user mapped to no other column', () => {
      const result = detector.detect(csv('Email,Work Email,Name'), mapping({ 'Work Email': 'email' }));
      expect({ ...result.mapping }).toEqual({ Email: 'custom:Email', 'Work Email': 'email', Name: 'fullName' });
    });
  });

  describe('company columns are not the person', () => {
    it('keeps the company city, phone and LinkedIn page as custom fields next to the person', () => {
      expectMapping(
        csv(
          'Email,Company,Company Linkedin Url,Company City,Company State,Company Country,Company Phone,Company Address',
        ),
        { Email: 'email', Company: 'companyName' },
      );
    });

    it('lets the company website stand for the website when there is no other', () => {
      expectMapping(csv('Email,Company Name,Company Website,Company Phone'), {
        Email: 'email',
        'Company Name': 'companyName',
        'Company Website': 'website',
      });
      expectMapping(csv('Email,Website,Company Domain'), { Email: 'email', Website: 'website' });
    });
  });

  describe('full names', () => {
    it.each([
      ['a lone Name is a full name', 'Email,Name', { Email: 'email', Name: 'fullName' }],
      ['Person - Name', 'Person - Email,Person - Name', { 'Person - Email': 'email', 'Person - Name': 'fullName' }],
      // Issue 14: a full name fills a blank first/last name row by row, so it is mapped beside them too.
      [
        'first name present: Full Name still fills blanks',
        'Email,Full Name,First Name',
        { Email: 'email', 'Full Name': 'fullName', 'First Name': 'firstName' },
      ],
      [
        'last name present: Name still fills blanks',
        'Email,Surname,Name',
        { Email: 'email', Surname: 'lastName', Name: 'fullName' },
      ],
      ['two full names: the left-most', 'Email,Name,Full Name', { Email: 'email', Name: 'fullName' }],
    ])('%s', (_case, row, fields) => {
      expectMapping(csv(row), fields as Record<string, ColumnTarget>);
    });

    it('maps Name to fullName also when the user maps a first name', () => {
      const result = detector.detect(csv('Email,Name,Given'), mapping({ Given: 'firstName' }));
      expect(result.targets).toEqual(['email', 'fullName', 'firstName']);
    });

    it("keeps the user's fullName even beside a first-name column", () => {
      const result = detector.detect(csv('Email,Contact,First Name'), mapping({ Contact: 'fullName' }));
      expect(result.targets).toEqual(['email', 'fullName', 'firstName']);
    });
  });

  describe("the user's mapping", () => {
    it('wins over detection for the columns it names, and detection does the rest', () => {
      const result = detector.detect(
        csv('Email Address,First,Company,Title,Sector,Fax'),
        mapping({ 'Email Address': 'email', First: 'firstName', Title: 'custom:Honorific', Sector: 'skip' }),
      );
      expect({ ...result.mapping }).toEqual({
        'Email Address': 'email',
        First: 'firstName',
        Company: 'companyName',
        Title: 'custom:Honorific',
        Sector: 'skip',
        Fax: 'custom:Fax',
      });
    });

    it.each([
      ['EMAIL', 'email'],
      ['FirstName', 'firstName'],
      [' LINKEDINURL ', 'linkedinUrl'],
      ['FULLNAME', 'fullName'],
      ['Skip', 'skip'],
      [' SKIP ', 'skip'],
      ['custom:Deal Size', 'custom:Deal Size'],
      ['CUSTOM:  Deal Size ', 'custom:Deal Size'],
      ['Custom:email', 'custom:email'],
    ])('reads the target %j as %j', (value, target) => {
      const result = detector.detect(csv('Email,Value'), mapping({ Value: value }));
      expect(result.targets[1]).toBe(target);
    });

    it('matches keys exactly first, then trimmed, then case-insensitively', () => {
      const result = detector.detect(
        csv('email,Email,Prénom,Deal'),
        mapping({ Email: 'skip', email: 'email', ' PRÉNOM ': 'firstName', 'deal ': 'custom:Deal Size' }),
      );
      expect(result.targets).toEqual(['email', 'skip', 'firstName', 'custom:Deal Size']);
    });

    it('lists keys that name no column, in order, and ignores them', () => {
      const result = detector.detect(csv('Email,Phone'), mapping({ Mobile: 'phone', Email: 'email', Fax: 'skip' }));
      expect(result.unusedMapping).toEqual(['Mobile', 'Fax']);
      expect(result.targets).toEqual(['email', 'phone']);
    });

    it('allows two keys for one column when they agree', () => {
      const result = detector.detect(csv('Email'), mapping({ Email: 'email', EMAIL: 'Email' }));
      expect(result.targets).toEqual(['email']);
      expect(result.unusedMapping).toEqual([]);
    });

    it('maps any number of columns to skip', () => {
      const result = detector.detect(csv('Email,A,B'), mapping({ A: 'skip', B: 'skip' }));
      expect(result.targets).toEqual(['email', 'skip', 'skip']);
    });
  });

  describe('custom fields', () => {
    it('names a custom field exactly as its header reads', () => {
      expectMapping(['Email', '# Employees', 'Annual Revenue ($)', 'ünïcödé'], { Email: 'email' });
    });

    it('numbers a custom field whose name another column already uses (names compare case-insensitively)', () => {
      const result = detector.detect(csv('Email,Industry,INDUSTRY,Sector'), mapping({ Sector: 'custom:industry' }));
      expect(result.targets).toEqual(['email', 'custom:Industry (2)', 'custom:INDUSTRY (3)', 'custom:industry']);
    });

    it('cuts names to 255 characters without splitting a character', () => {
      const long = '😀'.repeat(300);
      const result = detector.detect(['Email', long, 'x'.repeat(400)]);
      expect(result.targets[1]).toBe(`custom:${'😀'.repeat(255)}`);
      expect(result.targets[2]).toBe(`custom:${'x'.repeat(255)}`);
    });

    it('skips a blank header, which has no name to give', () => {
      expect(detector.detect(['Email', '']).targets).toEqual(['email', 'skip']);
    });
  });

  describe('headers that look like object internals are plain data', () => {
    it('detects and reports them as custom fields', () => {
      const headers = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Email', 'valueOf'];
      const result = detector.detect(headers);
      expect(Object.getPrototypeOf(result.mapping)).toBeNull();
      expect(Object.keys(result.mapping)).toEqual(headers);
      expect(JSON.parse(JSON.stringify(result.mapping))).toEqual(
        JSON.parse(
          '{"__proto__":"custom:__proto__","constructor":"custom:constructor","toString":"custom:toString","hasOwnProperty":"custom:hasOwnProperty","Email":"email","valueOf":"custom:valueOf"}',
        ),
      );
    });

    it('accepts them as mapping keys', () => {
      const result = detector.detect(
        ['__proto__', 'constructor', 'Email'],
        detector.parseMapping('{"__proto__": "email", "constructor": "firstName", "prototype": "skip"}'),
      );
      expect(result.targets).toEqual(['email', 'firstName', 'custom:Email']);
      expect(result.unusedMapping).toEqual(['prototype']);
      expect(result.mapping['__proto__']).toBe('email');
    });
  });

  describe('400s', () => {
    it.each([
      ['no email column', csv('First Name,Company'), undefined, NO_EMAIL],
      ['no columns at all', [], undefined, NO_EMAIL],
      ['the email column mapped away', csv('Email,Name'), { Email: 'skip' }, NO_EMAIL],
      ['an email mapping that names no column', csv('Mail Addr,Name'), { Email: 'email' }, NO_EMAIL],
      [
        'an unknown lead field',
        csv('Email'),
        { Email: 'emial' },
        `Unknown lead field "emial" for column "Email" in mapping. ${CHOICES}`,
      ],
      [
        'an empty target',
        csv('Email'),
        { Email: '' },
        `Unknown lead field "" for column "Email" in mapping. ${CHOICES}`,
      ],
      [
        'a lead-field alias as target',
        csv('Email,Org'),
        { Org: 'company' },
        `Unknown lead field "company" for column "Org" in mapping. ${CHOICES}`,
      ],
      [
        'a bad target in an unused key',
        csv('Email'),
        { Fax: 'fax' },
        `Unknown lead field "fax" for column "Fax" in mapping. ${CHOICES}`,
      ],
      [
        'an empty custom name',
        csv('Email,X'),
        { X: 'custom: ' },
        'Custom field name for column "X" is empty; use "custom:<Name>".',
      ],
      [
        'a custom name over 255 characters',
        csv('Email,X'),
        { X: `custom:${'n'.repeat(256)}` },
        'Custom field name for column "X" is longer than 255 characters.',
      ],
      [
        'two columns mapped to one lead field',
        csv('Email,Work Email'),
        { Email: 'email', 'Work Email': 'EMAIL' },
        'Columns "Email" and "Work Email" are both mapped to "email" in mapping; only one column may be mapped to each field.',
      ],
      [
        'two columns mapped to fullName',
        csv('Email,Name,Contact'),
        { Name: 'fullName', Contact: 'fullname' },
        'Columns "Name" and "Contact" are both mapped to "fullName" in mapping; only one column may be mapped to each field.',
      ],
      [
        'two columns mapped to one custom field',
        csv('Email,A,B'),
        { A: 'custom:Size', B: 'custom:size' },
        'Columns "A" and "B" are both mapped to "custom:size" in mapping; only one column may be mapped to each custom field.',
      ],
      [
        'one column given two different targets',
        csv('Email,Phone'),
        { Phone: 'phone', PHONE: 'skip' },
        'Mapping names column "Phone" twice ("Phone" and "PHONE") with different targets; name each column once.',
      ],
      [
        'a key that matches several columns only case-insensitively',
        csv('EMAIL,Email,e'),
        { email: 'email' },
        'Mapping key "email" matches several columns ("EMAIL", "Email"); use the exact header.',
      ],
    ])('%s', (_case, headers, userMapping, message) => {
      const parsed = userMapping && mapping(userMapping);
      expect(errorOf(() => detector.detect(headers, parsed)).message).toBe(message);
    });

    it('rejects a non-string target given to detect directly', () => {
      const raw = Object.assign(Object.create(null) as Record<string, unknown>, { Email: 5 });
      expect(errorOf(() => detector.detect(['Email'], raw as Record<string, string>)).message).toBe(
        'Mapping for column "Email" must be a string: a lead field (email, firstName, …), "skip" or "custom:<Name>"',
      );
    });
  });

  describe('a generic "URL" header is checked against its values', () => {
    const headers = ['Email', 'URL'];
    const rows = (...urls: string[]) => urls.map((url, i) => ({ values: [`p${i}@x.io`, url] }));

    it("is the LinkedIn profile when the values are LinkedIn links (LinkedIn's Connections export)", () => {
      const links = rows('https://www.linkedin.com/in/jane', '', 'linkedin.com/in/joe', 'https://example.com');
      expect(detector.detect(headers, undefined, links).mapping.URL).toBe('linkedinUrl');
    });

    it('is a custom field when most values are other links, so no website or CRM link lands in linkedinUrl', () => {
      const links = rows('https://acme.com', 'https://app.hubspot.com/contacts/1/record/0-1/51', 'linkedin.com/in/joe');
      expect(detector.detect(headers, undefined, links).mapping.URL).toBe('custom:URL');
    });

    it("keeps the header's meaning for an empty column, without rows, and when the user maps it", () => {
      expect(detector.detect(headers, undefined, rows('', ' ')).mapping.URL).toBe('linkedinUrl');
      expect(detector.detect(headers).mapping.URL).toBe('linkedinUrl');
      const mapped = detector.detect(headers, mapping({ URL: 'linkedinUrl' }), rows('https://acme.com'));
      expect(mapped.mapping.URL).toBe('linkedinUrl');
    });

    it('leaves specific headers alone: "LinkedIn URL" holding another link is still the LinkedIn column', () => {
      const specific = detector.detect(['Email', 'LinkedIn URL'], undefined, rows('https://acme.com'));
      expect(specific.mapping['LinkedIn URL']).toBe('linkedinUrl');
    });
  });

  describe('real exports', () => {
    it('Apollo', () => {
      expectMapping(
        csv(
          'First Name,Last Name,Title,Company,Company Name for Emails,Email,Email Status,Primary Email Source,Email Confidence,Primary Email Catch-all Status,Primary Email Last Verified At,Seniority,Departments,Contact Owner,Work Direct Phone,Home Phone,Mobile Phone,Corporate Phone,Other Phone,Stage,Lists,Last Contacted,Account Owner,# Employees,Industry,Keywords,Person Linkedin Url,Website,Company Linkedin Url,Facebook Url,Twitter Url,City,State,Country,Company Address,Company City,Company State,Company Country,Company Phone,Technologies,Annual Revenue,Total Funding,Latest Funding,Latest Funding Amount,Last Raised At,Email Sent,Email Open,Email Bounced,Replied,Demoed,Number of Retail Locations,Apollo Contact Id,Apollo Account Id,Secondary Email,Secondary Email Source,Tertiary Email,Tertiary Email Source',
        ),
        {
          'First Name': 'firstName',
          'Last Name': 'lastName',
          Title: 'jobTitle',
          Company: 'companyName',
          Email: 'email',
          'Work Direct Phone': 'phone',
          'Person Linkedin Url': 'linkedinUrl',
          Website: 'website',
          City: 'city',
          State: 'state',
          Country: 'country',
        },
      );
    });

    it('HubSpot', () => {
      expectMapping(
        csv(
          'Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Contact owner,Lifecycle Stage,Lead Status,Create Date,Company Name,Associated Company,Job Title,Street Address,City,State/Region,Postal Code,Country/Region,Time Zone,Website URL,LinkedIn URL,Industry',
        ),
        {
          'First Name': 'firstName',
          'Last Name': 'lastName',
          Email: 'email',
          'Phone Number': 'phone',
          'Company Name': 'companyName',
          'Job Title': 'jobTitle',
          City: 'city',
          'State/Region': 'state',
          'Country/Region': 'country',
          'Time Zone': 'timezone',
          'Website URL': 'website',
          'LinkedIn URL': 'linkedinUrl',
        },
      );
    });

    it('Salesforce contacts', () => {
      expectMapping(
        csv(
          'Salutation,First Name,Last Name,Title,Account Name,Mailing Street,Mailing City,Mailing State/Province,Mailing Zip/Postal Code,Mailing Country,Phone,Fax,Mobile,Email,Account Owner,Lead Source,Description',
        ),
        {
          'First Name': 'firstName',
          'Last Name': 'lastName',
          Title: 'jobTitle',
          'Account Name': 'companyName',
          'Mailing City': 'city',
          'Mailing State/Province': 'state',
          'Mailing Country': 'country',
          Phone: 'phone',
          Email: 'email',
          Description: 'notes',
        },
      );
    });

    it('LinkedIn connections', () => {
      expectMapping(csv('First Name,Last Name,URL,Email Address,Company,Position,Connected On'), {
        'First Name': 'firstName',
        'Last Name': 'lastName',
        URL: 'linkedinUrl',
        'Email Address': 'email',
        Company: 'companyName',
        Position: 'jobTitle',
      });
    });

    it('Google Contacts, old format', () => {
      expectMapping(
        csv(
          'Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Address 1 - Type,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,Organization 1 - Title,Organization 1 - Department,Organization 1 - Symbol,Organization 1 - Location,Organization 1 - Job Description,Website 1 - Type,Website 1 - Value',
        ),
        {
          Name: 'fullName',
          'Given Name': 'firstName',
          'Family Name': 'lastName',
          Notes: 'notes',
          'E-mail 1 - Value': 'email',
          'Phone 1 - Value': 'phone',
          'Address 1 - City': 'city',
          'Address 1 - Region': 'state',
          'Address 1 - Country': 'country',
          'Organization 1 - Name': 'companyName',
          'Organization 1 - Title': 'jobTitle',
          'Website 1 - Value': 'website',
        },
      );
    });

    it('Google Contacts, new format', () => {
      expectMapping(
        csv(
          'First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,Website 1 - Label,Website 1 - Value',
        ),
        {
          'First Name': 'firstName',
          'Last Name': 'lastName',
          'Organization Name': 'companyName',
          'Organization Title': 'jobTitle',
          Notes: 'notes',
          'E-mail 1 - Value': 'email',
          'Phone 1 - Value': 'phone',
          'Address 1 - City': 'city',
          'Address 1 - Region': 'state',
          'Address 1 - Country': 'country',
          'Website 1 - Value': 'website',
        },
      );
    });

    it('Outlook', () => {
      expectMapping(
        csv(
          "First Name,Middle Name,Last Name,Title,Suffix,Initials,Web Page,Gender,Birthday,Anniversary,Location,Language,Internet Free Busy,Notes,E-mail Address,E-mail 2 Address,E-mail 3 Address,Primary Phone,Home Phone,Home Phone 2,Mobile Phone,Pager,Home Fax,Home Address,Home Street,Home Street 2,Home Street 3,Home Address PO Box,Home City,Home State,Home Postal Code,Home Country/Region,Spouse,Children,Manager's Name,Assistant's Name,Referred By,Company Main Phone,Business Phone,Business Phone 2,Business Fax,Assistant's Phone,Company,Job Title,Department,Office Location,Organizational ID Number,Profession,Account,Business Address,Business Street,Business Street 2,Business Street 3,Business Address PO Box,Business City,Business State,Business Postal Code,Business Country/Region,Other Phone,Other Fax,Other Address,Other Street,Other Street 2,Other Street 3,Other Address PO Box,Other City,Other State,Other Postal Code,Other Country/Region,Callback,Car Phone,ISDN,Radio Phone,TTY/TDD Phone,Telex,User 1,User 2,User 3,User 4,Keywords,Mileage,Hobby,Billing Information,Directory Server,Sensitivity,Priority,Private,Categories",
        ),
        {
          'First Name': 'firstName',
          'Last Name': 'lastName',
          'Web Page': 'website',
          Notes: 'notes',
          'E-mail Address': 'email',
          'Primary Phone': 'phone',
          Company: 'companyName',
          'Job Title': 'jobTitle',
          'Business City': 'city',
          'Business State': 'state',
          'Business Country/Region': 'country',
        },
      );
    });

    it.each([
      [
        'Mailchimp',
        'Email Address,First Name,Last Name,Address,Phone Number,Birthday,Tags,MEMBER_RATING,OPTIN_TIME,CC,REGION,TIMEZONE,NOTES',
        {
          'Email Address': 'email',
          'First Name': 'firstName',
          'Last Name': 'lastName',
          'Phone Number': 'phone',
          CC: 'country',
          REGION: 'state',
          TIMEZONE: 'timezone',
          NOTES: 'notes',
        },
      ],
      [
        'Pipedrive',
        'Person - Name,Person - Label,Person - Organization,Person - Email - Work,Person - Email - Home,Person - Phone - Work,Person - Phone - Mobile,Person - Job title,Organization - Name,Organization - Address',
        {
          'Person - Name': 'fullName',
          'Person - Organization': 'companyName',
          'Person - Email - Work': 'email',
          'Person - Phone - Work': 'phone',
          'Person - Job title': 'jobTitle',
        },
      ],
      [
        'Lemlist',
        'email,firstName,lastName,companyName,jobTitle,phone,linkedinUrl,companyDomain,picture,icebreaker,timezone',
        {
          email: 'email',
          firstName: 'firstName',
          lastName: 'lastName',
          companyName: 'companyName',
          jobTitle: 'jobTitle',
          phone: 'phone',
          linkedinUrl: 'linkedinUrl',
          companyDomain: 'website',
          timezone: 'timezone',
        },
      ],
      [
        'Zoho leads',
        'Record Id,Lead Owner,Company,First Name,Last Name,Title,Email,Phone,Mobile,Website,Lead Source,Industry,Email Opt Out,Secondary Email,City,State,Zip Code,Country,Description',
        {
          Company: 'companyName',
          'First Name': 'firstName',
          'Last Name': 'lastName',
          Title: 'jobTitle',
          Email: 'email',
          Phone: 'phone',
          Website: 'website',
          City: 'city',
          State: 'state',
          Country: 'country',
          Description: 'notes',
        },
      ],
      [
        'a German spreadsheet',
        'E-Mail,Vorname,Nachname,Firma,Position,Telefon,Stadt,Land',
        {
          'E-Mail': 'email',
          Vorname: 'firstName',
          Nachname: 'lastName',
          Firma: 'companyName',
          Position: 'jobTitle',
          Telefon: 'phone',
          Stadt: 'city',
          Land: 'country',
        },
      ],
      [
        'a French spreadsheet',
        'Courriel,Prénom,Nom,Société,Poste,Téléphone,Ville,Pays',
        {
          Courriel: 'email',
          Prénom: 'firstName',
          Nom: 'lastName',
          Société: 'companyName',
          Poste: 'jobTitle',
          Téléphone: 'phone',
          Ville: 'city',
          Pays: 'country',
        },
      ],
    ])('%s', (_export, row, fields) => {
      expectMapping(csv(row), fields as Record<string, ColumnTarget>);
    });
  });

  describe('columns chosen by their data', () => {
    const rowsOf = (...rows: string[][]) => rows.map((values) => ({ values }));
    /** The mapping of the columns that are not custom fields. */
    const fieldsOf = (headers: string[], rows: string[][], userMapping?: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(detector.detect(headers, userMapping, rowsOf(...rows)).mapping).filter(
          ([, target]) => !target.startsWith('custom:'),
        ),
      );

    it('a filled column beats an empty one; among filled ones the ranking holds', () => {
      const headers = csv('Email,Work Direct Phone,First Phone,Ort,Ort geschäftlich');
      expect(
        fieldsOf(headers, [
          ['a@x.com', '', '+49 30 1234567', '', 'Berlin'],
          ['b@x.com', ' ', '+49 30 7654321', 'N/A', 'Bonn'],
        ]),
      ).toEqual({ Email: 'email', 'First Phone': 'phone', 'Ort geschäftlich': 'city' });
      expect(fieldsOf(headers, [['a@x.com', '+1 415 555 2671', '+49 30 1234567', 'Raum 3', 'Berlin']])).toEqual({
        Email: 'email',
        'Work Direct Phone': 'phone',
        Ort: 'city',
      });
      // Without rows, headers are taken at their word.
      expect(detector.detect(headers).mapping).toMatchObject({ 'Work Direct Phone': 'phone', Ort: 'city' });
    });

    it.each([
      ['geschäftlich over privat', 'Email,Telefon privat,Telefon geschäftlich', 'Telefon geschäftlich'],
      ['Work over Home', 'Email,Home Phone,Work Phone', 'Work Phone'],
      ['the lower number', 'Email,Phone 2 - Value,Phone 1 - Value', 'Phone 1 - Value'],
      ['bureau over domicile', 'Email,Téléphone domicile,Téléphone bureau', 'Téléphone bureau'],
      ['рабочий over домашний', 'Email,Домашний телефон,Рабочий телефон', 'Рабочий телефон'],
      ['勤務先 over 自宅', 'Email,自宅電話,勤務先電話', '勤務先電話'],
      ['a standard field over its Salesforce custom one', 'Email,Phone__c,Phone', 'Phone'],
    ])('a family of columns gives one phone, filled first: %s', (_case, row, primary) => {
      const headers = csv(row);
      expect(fieldsOf(headers, [['a@x.com', '+1 415 555 0001', '+1 415 555 0002']])).toEqual({
        Email: 'email',
        [primary]: 'phone',
      });
      // Only the other one filled: it is the phone.
      const other = headers.find((header) => header !== 'Email' && header !== primary)!;
      const values = headers.map((header) => (header === 'Email' ? 'a@x.com' : header === other ? '+1 415 555' : ''));
      expect(fieldsOf(headers, [values])).toEqual({ Email: 'email', [other]: 'phone' });
    });

    it('reads Salesforce API names of custom fields as their family', () => {
      expectMapping(csv('Email__c,Mobile_Phone__c,LinkedIn_URL__c,Personal_Email__c,Industry__c'), {
        Email__c: 'email',
        Mobile_Phone__c: 'phone',
        LinkedIn_URL__c: 'linkedinUrl',
      });
    });

    it("passes over an email column with one address in every row (a sender's or owner's)", () => {
      const headers = csv('Email,Lead Email,First Name');
      const rows = [
        ['rep@vendor.com', 'ann@x.com', 'Ann'],
        ['REP@vendor.com ', 'bo@x.com', 'Bo'],
        ['rep@vendor.com', 'cy@x.com', 'Cy'],
      ];
      expect(fieldsOf(headers, rows)).toEqual({ 'Lead Email': 'email', 'First Name': 'firstName' });
      // Alone, it is still the email column: a file of one lead, repeated.
      expect(
        fieldsOf(
          csv('Email,First Name'),
          [rows[0], rows[1]].map(([email, , name]) => [email, name]),
        ),
      ).toEqual({
        Email: 'email',
        'First Name': 'firstName',
      });
    });

    it("never takes an owner's, sender's or associated company's column for the person's", () => {
      expectMapping(
        csv(
          'Email,City,Country,Contact Owner,Contact Owner Email,Account Owner,sendUser,sendUserEmail,Sender Email,Owner Email,City (Company),Country (Company),Associated Company City,Telefon Firma,Assistant Phone',
        ),
        { Email: 'email', City: 'city', Country: 'country' },
      );
      // With the person's city empty, the company's is still not the person's.
      expect(
        fieldsOf(csv('Email,City,Associated Company City,City (Company)'), [['a@x.com', '', 'Paris', 'Lyon']]),
      ).toEqual({ Email: 'email', City: 'city' });
    });

    it("takes Outlook's Title for the job title only when it holds no honorifics", () => {
      const headers = csv('Email,Title,Job Title');
      expect(
        fieldsOf(headers, [
          ['a@x.com', 'Mr.', ''],
          ['b@x.com', 'Dr', ''],
        ]),
      ).toEqual({ Email: 'email', 'Job Title': 'jobTitle' });
      expect(fieldsOf(headers, [['a@x.com', 'CTO', '']])).toEqual({ Email: 'email', Title: 'jobTitle' });
      expect(fieldsOf(csv('Email,Titel,Functie'), [['a@x.com', 'Dhr.', 'Inkoper']])).toEqual({
        Email: 'email',
        Functie: 'jobTitle',
      });
    });

    it('keeps the user mapping above everything', () => {
      const headers = csv('Email,Lead Email');
      const rows = [
        ['rep@vendor.com', 'ann@x.com'],
        ['rep@vendor.com', 'bo@x.com'],
      ];
      expect(fieldsOf(headers, rows, mapping({ Email: 'email' }))).toEqual({ Email: 'email' });
    });
  });

  describe("Outlook's localized exports", () => {
    it.each([
      [
        'German',
        'Anrede,Vorname,Weitere Vornamen,Nachname,Firma,Abteilung,Position,Straße geschäftlich,Ort geschäftlich,Region geschäftlich,Postleitzahl geschäftlich,Land/Region geschäftlich,Ort privat,Land/Region privat,Weiterer Ort,Telefon Assistent,Telefon geschäftlich,Telefon Firma,Telefon privat,Mobiltelefon,E-Mail-Adresse,E-Mail-Typ,E-Mail: Angezeigter Name,E-Mail 2: Adresse,Name Assistent,Name des/der Vorgesetzten,Notizen,Ort,Webseite',
        {
          Vorname: 'firstName',
          Nachname: 'lastName',
          Firma: 'companyName',
          Position: 'jobTitle',
          'Ort geschäftlich': 'city',
          'Region geschäftlich': 'state',
          'Land/Region geschäftlich': 'country',
          Mobiltelefon: 'phone',
          'E-Mail-Adresse': 'email',
          Notizen: 'notes',
          Webseite: 'website',
        },
        // Outlook's "Ort" is the location field, empty in contact exports.
        ['Ort'],
      ],
      [
        'French',
        'Titre,Prénom,Deuxième prénom,Nom,Société,Service,Fonction,Rue (bureau),Ville (bureau),Dép/Région (bureau),Pays/Région (bureau),Ville (domicile),Téléphone bureau,Téléphone domicile,Tél. mobile,Adresse de messagerie,Nom complet de l’adresse de messagerie,Adresse de messagerie 2',
        {
          Prénom: 'firstName',
          Nom: 'lastName',
          Société: 'companyName',
          Fonction: 'jobTitle',
          'Ville (bureau)': 'city',
          'Dép/Région (bureau)': 'state',
          'Pays/Région (bureau)': 'country',
          'Tél. mobile': 'phone',
          'Adresse de messagerie': 'email',
        },
        [],
      ],
      [
        'Spanish',
        'Tratamiento,Nombre,Segundo nombre,Apellidos,Organización,Departamento,Puesto,Calle del trabajo,Ciudad de trabajo,Provincia o estado de trabajo,País o región del trabajo,Ciudad de residencia,Teléfono del trabajo,Teléfono particular,Móvil,Dirección de correo electrónico,Nombre para mostrar del correo electrónico',
        {
          Nombre: 'firstName',
          Apellidos: 'lastName',
          Organización: 'companyName',
          Puesto: 'jobTitle',
          'Ciudad de trabajo': 'city',
          'Provincia o estado de trabajo': 'state',
          'País o región del trabajo': 'country',
          Móvil: 'phone',
          'Dirección de correo electrónico': 'email',
        },
        [],
      ],
      [
        'Portuguese',
        'Nome,Segundo Nome,Sobrenome,Empresa,Departamento,Cargo,Cidade do endereço comercial,Estado do endereço comercial,País/Região do endereço comercial,Cidade do endereço residencial,Telefone comercial,Telefone residencial,Celular,Endereço de email',
        {
          Nome: 'firstName',
          Sobrenome: 'lastName',
          Empresa: 'companyName',
          Cargo: 'jobTitle',
          'Cidade do endereço comercial': 'city',
          'Estado do endereço comercial': 'state',
          'País/Região do endereço comercial': 'country',
          Celular: 'phone',
          'Endereço de email': 'email',
        },
        [],
      ],
      [
        'Italian',
        'Nome,Secondo nome,Cognome,Società,Reparto,Posizione,Città (uff.),Provincia (uff.),Paese/area geografica (uff.),Telefono ufficio,Telefono abitazione,Cellulare,Indirizzo posta elettronica',
        {
          Nome: 'firstName',
          Cognome: 'lastName',
          Società: 'companyName',
          Posizione: 'jobTitle',
          'Città (uff.)': 'city',
          'Provincia (uff.)': 'state',
          'Paese/area geografica (uff.)': 'country',
          Cellulare: 'phone',
          'Indirizzo posta elettronica': 'email',
        },
        [],
      ],
      [
        'Dutch',
        'Titel,Voornaam,Middelste naam,Achternaam,Bedrijf,Afdeling,Functie,"Werkadres, plaats","Werkadres, land/regio","Huisadres, plaats",Telefoon op werk,Telefoon thuis,Mobiele telefoon,E-mailadres',
        {
          Voornaam: 'firstName',
          Achternaam: 'lastName',
          Bedrijf: 'companyName',
          Functie: 'jobTitle',
          'Werkadres, plaats': 'city',
          'Werkadres, land/regio': 'country',
          'Mobiele telefoon': 'phone',
          'E-mailadres': 'email',
        },
        [],
      ],
      [
        'Polish',
        'Tytuł,Imię,Drugie imię,Nazwisko,Firma,Dział,Stanowisko,Miejscowość (służbowy),Województwo (służbowy),Kraj/region (służbowy),Telefon służbowy,Telefon domowy,Telefon komórkowy,Adres e-mail',
        {
          Imię: 'firstName',
          Nazwisko: 'lastName',
          Firma: 'companyName',
          Stanowisko: 'jobTitle',
          'Miejscowość (służbowy)': 'city',
          'Województwo (służbowy)': 'state',
          'Kraj/region (służbowy)': 'country',
          'Telefon komórkowy': 'phone',
          'Adres e-mail': 'email',
        },
        [],
      ],
      [
        'Russian',
        'Обращение,Имя,Отчество,Фамилия,Организация,Отдел,Должность,Улица (раб. адрес),Город (раб. адрес),Область (раб. адрес),Страна или регион (раб. адрес),Город (дом. адрес),Рабочий телефон,Домашний телефон,Мобильный телефон,Адрес эл. почты,Краткое имя эл. почты,Адрес 2 эл. почты',
        {
          Имя: 'firstName',
          Фамилия: 'lastName',
          Организация: 'companyName',
          Должность: 'jobTitle',
          'Город (раб. адрес)': 'city',
          'Область (раб. адрес)': 'state',
          'Страна или регион (раб. адрес)': 'country',
          'Мобильный телефон': 'phone',
          'Адрес эл. почты': 'email',
        },
        [],
      ],
      [
        'Japanese',
        '姓,名,ミドル ネーム,会社名,部署,役職,勤務先 番地,勤務先 市区町村,勤務先 都道府県,勤務先 国/地域,自宅 市区町村,勤務先電話,自宅電話,携帯電話,電子メール アドレス,電子メール 表示名',
        {
          姓: 'lastName',
          名: 'firstName',
          会社名: 'companyName',
          役職: 'jobTitle',
          '勤務先 市区町村': 'city',
          '勤務先 都道府県': 'state',
          '勤務先 国/地域': 'country',
          携帯電話: 'phone',
          '電子メール アドレス': 'email',
        },
        [],
      ],
    ])('%s', (_language, row, fields, emptyColumns) => {
      const headers = row.match(/"[^"]*"|[^,]+/g)!.map((header) => header.replace(/"/g, ''));
      const empty = new Set<string>(emptyColumns);
      const values = headers.map((header) => (empty.has(header) ? '' : `${header} value`));
      const expected = Object.fromEntries(headers.map((header) => [header, `custom:${header}`]));
      expect({ ...detector.detect(headers, undefined, [{ values }]).mapping }).toEqual({ ...expected, ...fields });
    });
  });

  it('handles 1,000 columns of 500 characters, some built to make affix matching work hard', () => {
    const headers = Array.from({ length: 1000 }, (_, index) => {
      const filler = ['home', 'personwork', 'company', 'e-mail 1 - value '][index % 4].repeat(150);
      return `${index} ${filler}`.slice(0, 500);
    });
    headers[999] = 'Email';
    const result = detector.detect(headers);
    expect(result.targets[999]).toBe('email');
    expect(result.targets.slice(0, 999).every((t) => t.startsWith('custom:'))).toBe(true);
  });
});
