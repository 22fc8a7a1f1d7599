import fc from 'fast-check';
import { LEAD_FIELDS, type LeadField } from '../../leads/lead-fields';
import {
  type AcceptedLead,
  CUSTOM_VALUE_MAX_LENGTH,
  EMAIL_REQUIRED,
  FIELD_MAX_LENGTH,
  INVALID_EMAIL,
  type NormalizedLead,
  Normalizer,
  type RawLead,
} from './normalizer';
import { identityOf } from './email';
import { codePointLength } from './text';

const normalizer = new Normalizer();

function lead(fields: RawLead['fields'], custom: RawLead['custom'] = []): RawLead {
  return { fields, custom };
}

function accepted(result: NormalizedLead): AcceptedLead {
  if (!result.ok) throw new Error(`expected an accepted lead, got: ${result.error}`);
  return result;
}

describe('Normalizer', () => {
  describe('email', () => {
    it.each([
      ['no email field', {}],
      ['an empty cell', { email: '' }],
      ['a blank cell', { email: '  \t ' }],
    ])('%s → "Email is required" (cleanup on and off)', (_, fields) => {
      for (const cleanup of [true, false]) {
        expect(normalizer.normalize(lead(fields), cleanup)).toEqual({ ok: false, email: '', error: EMAIL_REQUIRED });
      }
    });

    it.each([
      ['not-an-email', 'not-an-email'],
      ['  bad@  ', 'bad@'],
      ['jane@localhost', 'jane@localhost'],
      ['jane@x.123', 'jane@x.123'],
      ['=jane@x.com', '=jane@x.com'],
      ['=HYPERLINK("mailto:jane@x.com")', '=HYPERLINK("mailto:jane@x.com")'],
      ['Jane <jane@localhost>', 'Jane <jane@localhost>'],
      ['two@at@x.com', 'two@at@x.com'],
    ])('%j → "Invalid email format" with the email as written, trimmed', (cell, reported) => {
      for (const cleanup of [true, false]) {
        expect(normalizer.normalize(lead({ email: cell }), cleanup)).toEqual({
          ok: false,
          email: reported,
          error: INVALID_EMAIL,
        });
      }
    });

    it('shortens a huge invalid email in the error', () => {
      const result = normalizer.normalize(lead({ email: 'x'.repeat(5000) }), true);
      expect(result).toEqual({ ok: false, email: `${'x'.repeat(254)}…`, error: INVALID_EMAIL });
    });

    it.each([
      ['jane@x.com', 'jane@x.com'],
      ['  Jane.Doe@Example.COM  ', 'jane.doe@example.com'],
      ['mailto:Jane@X.com', 'jane@x.com'],
      ['MAILTO:jane@x.com', 'jane@x.com'],
      ['Jane Doe <Jane@X.com>', 'jane@x.com'],
      ['<jane@x.com>', 'jane@x.com'],
      ['ja\u200bne@x.com\ufeff', 'jane@x.com'],
      ['JOSE\u0301@X.COM', 'jos\u00e9@x.com'],
    ])('cleanup on: %j is stored as %j, which is also the identity', (cell, expected) => {
      const result = accepted(normalizer.normalize(lead({ email: cell }), true));
      expect(result.fields.email).toBe(expected);
      expect(result.identity).toBe(expected);
    });

    it.each([
      ['jane@x.com', 'jane@x.com'],
      ['  Jane.Doe@Example.COM  ', 'jane.doe@example.com'],
      ['JOSE\u0301@X.COM', 'jos\u00e9@x.com'],
    ])('cleanup off: %j is stored as given; the identity is %j', (cell, identity) => {
      const result = accepted(normalizer.normalize(lead({ email: cell }), false));
      expect(result.fields.email).toBe(cell);
      expect(result.identity).toBe(identity);
    });

    it.each(['mailto:jane@x.com', '<jane@x.com>', 'Jane Doe <jane@x.com>', 'ja\u200bne@x.com'])(
      'cleanup off: %j is not cleaned, so it is invalid',
      (cell) => {
        expect(normalizer.normalize(lead({ email: cell }), false)).toEqual({
          ok: false,
          email: cell,
          error: INVALID_EMAIL,
        });
      },
    );

    it('gives the same identity with cleanup on and off', () => {
      const on = accepted(normalizer.normalize(lead({ email: ' Jane@X.com ' }), true));
      const off = accepted(normalizer.normalize(lead({ email: ' Jane@X.com ' }), false));
      expect(on.identity).toBe(off.identity);
      expect(identityOf(' Jane@X.com ')).toBe('jane@x.com');
    });
  });

  describe('cleanup on', () => {
    it('cleans every field by its rule', () => {
      const result = normalizer.normalize(
        lead(
          {
            email: ' Jane.Doe@Example.com ',
            firstName: 'JANE',
            lastName: "o'neil-smith",
            companyName: '  eBay\u00a0 Inc.\u200b ',
            jobTitle: 'VP,\tSales\n',
            phone: "'(030) 1234567",
            linkedinUrl: 'de.linkedin.com/in/jane-doe/?trk=x',
            website: 'Example.com/About/',
            city: ' München ',
            state: 'Bavaria',
            country: ' Deutschland ',
            timezone: 'Europe/Berlin ',
            notes: 'Line one  \r\nLine two\r\n\r\n\r\n\r\nEnd\u0000',
          },
          [['Industry', '  Computer   Software ']],
        ),
        true,
      );
      expect(result).toEqual({
        ok: true,
        identity: 'jane.doe@example.com',
        fields: {
          email: 'jane.doe@example.com',
          firstName: 'Jane',
          lastName: "O'Neil-Smith",
          companyName: 'eBay Inc.',
          jobTitle: 'VP, Sales',
          phone: '+49301234567',
          linkedinUrl: 'https://www.linkedin.com/in/jane-doe',
          website: 'https://example.com/About',
          city: 'München',
          state: 'Bavaria',
          country: 'Deutschland',
          timezone: 'Europe/Berlin',
          notes: 'Line one\nLine two\n\nEnd',
        },
        custom: [['Industry', 'Computer Software']],
      });
    });

    it.each([
      ['United States', '(415) 555-2671', '+14155552671'],
      ['USA', '415.555.2671', '+14155552671'],
      ['U.S.A.', '415-555-2671', '+14155552671'],
      ['uk', '020 7946 0958', '+442079460958'],
      ['England', '07911 123456', '+447911123456'],
      ['España', '612 34 56 78', '+34612345678'],
      ['DEU', '030 1234567', '+49301234567'],
      ['fr', '06 12 34 56 78', '+33612345678'],
      ['Atlantis', '030 1234567', '030 1234567'],
      [undefined, '030 1234567', '030 1234567'],
      [undefined, '+49 30 1234567', '+49301234567'],
    ])('reads the phone in the row country %j: %j → %j', (country, phone, expected) => {
      const result = accepted(normalizer.normalize(lead({ email: 'a@x.com', country, phone }), true));
      expect(result.fields.phone).toBe(expected);
    });

    it('stores the country as written (cleaned), not as a code', () => {
      const result = accepted(normalizer.normalize(lead({ email: 'a@x.com', country: ' U.S.A. ' }), true));
      expect(result.fields.country).toBe('U.S.A.');
    });

    it.each<[LeadField, string, string]>([
      ['companyName', '=cmd|" /C calc"!A0', '=cmd|" /C calc"!A0'],
      ['jobTitle', '+Sales', '+Sales'],
      ['city', '-Berlin', '-Berlin'],
      ['notes', '@mention', '@mention'],
      ['phone', '+49 30 1234567', '+49301234567'],
      ['firstName', '@john', 'John'],
      ['lastName', '=Doe', 'Doe'],
    ])('formula-like %s %j is stored as %j (escaping belongs to exports)', (field, value, expected) => {
      const result = accepted(normalizer.normalize(lead({ email: 'a@x.com', [field]: value }), true));
      expect(result.fields[field]).toBe(expected);
    });
  });

  describe('values that are not data (cleanup on)', () => {
    it.each(['null', 'NULL', 'None', 'N/A', 'n/a', '-', 'Unknown', '[not provided]', 'undefined', '0.0.00', '000'])(
      'placeholder %j is a blank in every field and custom value',
      (placeholder) => {
        const fields = Object.fromEntries(
          [...LEAD_FIELDS.filter((field) => field !== 'email'), 'fullName'].map((field) => [field, placeholder]),
        );
        const result = accepted(
          normalizer.normalize(lead({ ...fields, email: 'a@x.com' }, [['Seniority', placeholder]]), true),
        );
        expect(result).toMatchObject({ fields: { email: 'a@x.com' }, custom: [] });
        expect(Object.keys(result.fields)).toEqual(['email']);
      },
    );

    it('a placeholder email is a missing one', () => {
      expect(normalizer.normalize(lead({ email: 'N/A' }), true)).toEqual({
        ok: false,
        email: '',
        error: EMAIL_REQUIRED,
      });
      expect(normalizer.normalize(lead({ email: 'N/A' }), false)).toMatchObject({ ok: false, error: INVALID_EMAIL });
    });

    it('cleanup off keeps placeholders as written', () => {
      const result = accepted(
        normalizer.normalize(lead({ email: 'a@x.com', firstName: 'N/A' }, [['X', 'null']]), false),
      );
      expect(result).toMatchObject({ fields: { firstName: 'N/A' }, custom: [['X', 'null']] });
    });

    it.each([
      ['123', undefined],
      ['ext. 12', undefined],
      ['call me', undefined],
      ['12345', '12345'],
      ["'+61 412 345 678", '+61412345678'],
    ])('phone %j → %j (fewer than 5 digits is not a phone)', (phone, expected) => {
      expect(accepted(normalizer.normalize(lead({ email: 'a@x.com', phone }), true)).fields.phone).toBe(expected);
    });

    it('drops an email address from a name instead of title-casing it into one', () => {
      const result = accepted(
        normalizer.normalize(lead({ email: 'a@x.com', firstName: 'jane@x.com', lastName: 'Doe <doe@x.com>' }), true),
      );
      expect(result.fields).toEqual({ email: 'a@x.com', lastName: 'Doe' });
      const fromFull = accepted(normalizer.normalize(lead({ email: 'a@x.com', fullName: 'jane.doe@x.com' }), true));
      expect(fromFull.fields).toEqual({ email: 'a@x.com' });
    });

    it('a first name that is an address leaves room for the full name', () => {
      const fields = { email: 'a@x.com', firstName: 'jane@x.com', fullName: 'Jane Doe' };
      expect(accepted(normalizer.normalize(lead(fields), true)).fields).toMatchObject({
        firstName: 'Jane',
        lastName: 'Doe',
      });
    });

    it('removes spreadsheet protection apostrophes from every value', () => {
      const result = accepted(
        normalizer.normalize(
          lead({ email: 'a@x.com', jobTitle: "'-5", companyName: "'=Acme", city: "'s-Hertogenbosch" }, [
            ['Score', "'-5"],
          ]),
          true,
        ),
      );
      expect(result.fields).toMatchObject({ jobTitle: '-5', companyName: '=Acme', city: "'s-Hertogenbosch" });
      expect(result.custom).toEqual([['Score', '-5']]);
    });

    it.each([
      ['de', 'DE'],
      ['GERMANY', 'Germany'],
      ['united states', 'United States'],
      ['Deutschland', 'Deutschland'],
    ])('stores country %j as %j', (country, expected) => {
      expect(accepted(normalizer.normalize(lead({ email: 'a@x.com', country }), true)).fields.country).toBe(expected);
    });

    it.each([
      ['europe/berlin', 'Europe/Berlin'],
      ['Asia/Calcutta', 'Asia/Kolkata'],
      ['PST', 'PST'],
    ])('stores timezone %j as %j', (timezone, expected) => {
      expect(accepted(normalizer.normalize(lead({ email: 'a@x.com', timezone }), true)).fields.timezone).toBe(expected);
    });

    it("reads national phones in the default region when the row names no country; the row's country wins", () => {
      const options = { defaultRegion: 'DE' as const };
      const phone = '030 1234567';
      expect(accepted(normalizer.normalize(lead({ email: 'a@x.com', phone }), true, options)).fields.phone).toBe(
        '+49301234567',
      );
      const inFrance = lead({ email: 'a@x.com', phone: '06 12 34 56 78', country: 'France' });
      expect(accepted(normalizer.normalize(inFrance, true, options)).fields.phone).toBe('+33612345678');
      expect(accepted(normalizer.normalize(lead({ email: 'a@x.com', phone }), false, options)).fields.phone).toBe(
        phone,
      );
    });
  });

  describe('empty cells', () => {
    const blankRow = lead(
      Object.fromEntries([...LEAD_FIELDS.filter((field) => field !== 'email'), 'fullName'].map((f) => [f, ' \t '])),
    );

    it.each([true, false])('are absent from the fields (cleanup %s)', (cleanup) => {
      const result = accepted(
        normalizer.normalize({ ...blankRow, fields: { ...blankRow.fields, email: 'a@x.com' } }, cleanup),
      );
      expect(result.fields).toEqual({ email: 'a@x.com' });
    });

    it('cleanup on: a cell that cleans to nothing is absent too', () => {
      const fields = { email: 'a@x.com', firstName: '???', companyName: '\u200b', phone: '\u0000', notes: '\r\n\r\n' };
      expect(accepted(normalizer.normalize(lead(fields), true)).fields).toEqual({ email: 'a@x.com' });
    });

    it('cleanup off: a cell with something besides whitespace is kept as given', () => {
      const fields = { email: 'a@x.com', firstName: '???', companyName: '\u200b' };
      expect(accepted(normalizer.normalize(lead(fields), false)).fields).toEqual(fields);
    });
  });

  describe('cleanup off', () => {
    it('stores every value exactly as given', () => {
      const fields = {
        email: ' Jane@X.com ',
        firstName: ' JANE ',
        lastName: "o'neil",
        companyName: '  eBay\u00a0 Inc. ',
        jobTitle: 'VP,\tSales\n',
        phone: '(030) 1234567',
        linkedinUrl: 'de.linkedin.com/in/jane-doe/',
        website: 'Example.com/About/',
        city: ' München ',
        state: 'BY',
        country: 'Deutschland',
        timezone: 'Europe/Berlin',
        notes: 'a\r\n\r\n\r\nb ',
      };
      const result = normalizer.normalize(lead(fields, [['Industry', '  Software ']]), false);
      expect(result).toEqual({ ok: true, identity: 'jane@x.com', fields, custom: [['Industry', '  Software ']] });
    });
  });

  describe('fullName', () => {
    it.each<[string, boolean, RawLead['fields'], { firstName?: string; lastName?: string }]>([
      ['Jane Doe', true, { fullName: 'Jane Doe' }, { firstName: 'Jane', lastName: 'Doe' }],
      ['particles', true, { fullName: 'Jane van der Berg' }, { firstName: 'Jane', lastName: 'van der Berg' }],
      ['last, first', true, { fullName: 'Doe, Jane' }, { firstName: 'Jane', lastName: 'Doe' }],
      ['single word', true, { fullName: 'Cher' }, { firstName: 'Cher' }],
      ['honorific and suffix', true, { fullName: 'Dr. Jane Doe Jr.' }, { firstName: 'Jane', lastName: 'Doe' }],
      ['cleaned after the split', true, { fullName: ' JANE  O’NEIL 🚀' }, { firstName: 'Jane', lastName: "O'Neil" }],
      [
        'lower-case particles title-cased',
        true,
        { fullName: 'jane van der berg' },
        { firstName: 'Jane', lastName: 'Van Der Berg' },
      ],
      ['split with cleanup off', false, { fullName: ' JANE  doe ' }, { firstName: 'JANE', lastName: 'doe' }],
      ['last, first with cleanup off', false, { fullName: 'doe, jane' }, { firstName: 'jane', lastName: 'doe' }],
      [
        'fills a missing last name only',
        true,
        { fullName: 'Jane Doe', firstName: 'Janet' },
        { firstName: 'Janet', lastName: 'Doe' },
      ],
      [
        'fills a missing first name only',
        true,
        { fullName: 'Jane Doe', lastName: 'Smith' },
        { firstName: 'Jane', lastName: 'Smith' },
      ],
      [
        'a blank first name counts as missing',
        false,
        { fullName: 'Jane Doe', firstName: ' ' },
        { firstName: 'Jane', lastName: 'Doe' },
      ],
      [
        'ignored when both are given',
        true,
        { fullName: 'Jane Doe', firstName: 'Ann', lastName: 'Lee' },
        { firstName: 'Ann', lastName: 'Lee' },
      ],
      ['blank full name', true, { fullName: '   ' }, {}],
    ])('%s', (_, cleanup, fields, expected) => {
      const result = accepted(normalizer.normalize(lead({ email: 'a@x.com', ...fields }), cleanup));
      expect({ firstName: result.fields.firstName, lastName: result.fields.lastName }).toEqual(expected);
      expect(result.fields).not.toHaveProperty('fullName');
    });
  });

  describe('custom fields', () => {
    it('keeps column order, drops empty cells, and treats names as plain data', () => {
      const custom: Array<[string, string]> = [
        ['__proto__', 'polluted?'],
        ['Empty', '   '],
        ['constructor', 'x'],
        ['Industry', ' Software\t\tand  AI '],
        ['Industry', 'second column with the same name'],
        ['Invisible', '\u200b'],
      ];
      const result = accepted(normalizer.normalize(lead({ email: 'a@x.com' }, custom), true));
      expect(result.custom).toEqual([
        ['__proto__', 'polluted?'],
        ['constructor', 'x'],
        ['Industry', 'Software and AI'],
        ['Industry', 'second column with the same name'],
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('cleanup off: values as given, blank ones dropped', () => {
      const result = accepted(
        normalizer.normalize(
          lead({ email: 'a@x.com' }, [
            ['A', ' x  y '],
            ['B', ' '],
          ]),
          false,
        ),
      );
      expect(result.custom).toEqual([['A', ' x  y ']]);
    });
  });

  describe('length limits', () => {
    const standard = LEAD_FIELDS.filter((field) => field !== 'email' && field !== 'notes');
    // Values that survive every field's cleanup unchanged, so the limit is checked on exactly this many characters
    // (a phone needs digits: without five it is no phone and is dropped).
    const filler = (field: LeadField, length: number): string =>
      field === 'linkedinUrl' || field === 'website'
        ? 'x'.repeat(length)
        : field === 'phone'
          ? '1'.repeat(length)
          : 'A'.repeat(length);

    it.each(standard)('%s: 500 characters are fine, 501 are a row error', (field) => {
      for (const cleanup of [true, false]) {
        const ok = accepted(normalizer.normalize(lead({ email: 'a@x.com', [field]: filler(field, 500) }), cleanup));
        expect(codePointLength(ok.fields[field] ?? '')).toBe(500);
        expect(normalizer.normalize(lead({ email: 'a@x.com', [field]: filler(field, 501) }), cleanup)).toEqual({
          ok: false,
          email: 'a@x.com',
          error: `${field} is too long (501 characters; the limit is 500)`,
        });
      }
    });

    it('gives the length in the message', () => {
      expect(normalizer.normalize(lead({ email: 'a@x.com', jobTitle: 'x'.repeat(713) }), true)).toEqual({
        ok: false,
        email: 'a@x.com',
        error: 'jobTitle is too long (713 characters; the limit is 500)',
      });
    });

    it('counts code points, not UTF-16 units', () => {
      const result = accepted(normalizer.normalize(lead({ email: 'a@x.com', companyName: '😀'.repeat(500) }), true));
      expect(result.fields.companyName).toHaveLength(1000);
      const tooLong = normalizer.normalize(lead({ email: 'a@x.com', companyName: '😀'.repeat(501) }), true);
      expect(tooLong).toMatchObject({ ok: false, error: 'companyName is too long (501 characters; the limit is 500)' });
    });

    it('checks after cleanup', () => {
      const padded = `   ${'A'.repeat(500)}   `;
      expect(normalizer.normalize(lead({ email: 'a@x.com', city: padded }), true).ok).toBe(true);
      expect(normalizer.normalize(lead({ email: 'a@x.com', city: padded }), false)).toMatchObject({
        ok: false,
        email: 'a@x.com',
        error: 'city is too long (506 characters; the limit is 500)',
      });
    });

    it('cleanup on: a cell 20 times over the limit is too long without being cleaned', () => {
      expect(normalizer.normalize(lead({ email: 'a@x.com', lastName: '😀'.repeat(10_001) }), true)).toEqual({
        ok: false,
        email: 'a@x.com',
        error: 'lastName is too long (10,001 characters; the limit is 500)',
      });
      const padded = `${' '.repeat(9_000)}CEO${'\u200b'.repeat(900)}`;
      expect(accepted(normalizer.normalize(lead({ email: 'a@x.com', jobTitle: padded }), true)).fields.jobTitle).toBe(
        'CEO',
      );
    });

    it('notes may be up to 1,000,000 characters', () => {
      const notes = 'n'.repeat(FIELD_MAX_LENGTH.notes);
      expect(accepted(normalizer.normalize(lead({ email: 'a@x.com', notes }), true)).fields.notes).toBe(notes);
      expect(normalizer.normalize(lead({ email: 'a@x.com', notes: `${notes}n` }), true)).toEqual({
        ok: false,
        email: 'a@x.com',
        error: 'notes is too long (1,000,001 characters; the limit is 1,000,000)',
      });
    });

    it('custom values may be up to 1,000,000 characters', () => {
      const value = 'v'.repeat(CUSTOM_VALUE_MAX_LENGTH);
      expect(accepted(normalizer.normalize(lead({ email: 'a@x.com' }, [['Bio', value]]), false)).custom).toEqual([
        ['Bio', value],
      ]);
      expect(normalizer.normalize(lead({ email: 'a@x.com' }, [['Bio', `${value}v`]]), false)).toEqual({
        ok: false,
        email: 'a@x.com',
        error: 'custom:Bio is too long (1,000,001 characters; the limit is 1,000,000)',
      });
    });

    it('cleanup off: an email padded past 254 characters is too long to store', () => {
      const email = `a@x.com${' '.repeat(300)}`;
      expect(normalizer.normalize(lead({ email }), false)).toEqual({
        ok: false,
        email: 'a@x.com',
        error: 'email is too long (307 characters; the limit is 254)',
      });
    });

    it('reports the cleaned email with cleanup on', () => {
      const result = normalizer.normalize(lead({ email: ' Jane@X.com ', state: 'x'.repeat(501) }), true);
      expect(result).toMatchObject({ ok: false, email: 'jane@x.com' });
    });
  });

  it('does not change its input', () => {
    const raw = lead({ email: ' Jane@X.com ', fullName: 'Jane Doe', phone: '030 1234567' }, [['A', ' b ']]);
    const copy = JSON.parse(JSON.stringify(raw)) as RawLead;
    normalizer.normalize(raw, true);
    expect(raw).toEqual(copy);
  });

  describe('never throws (fuzz)', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({
        unit: fc.constantFrom(
          ' ',
          '\t',
          '\n',
          '\r',
          '\u00a0',
          '\u200b',
          '\u0000',
          '+',
          '0',
          '1',
          '(',
          ')',
          '-',
          '.',
          '/',
          '@',
          '%',
          'a',
          'Z',
          'é',
          '😀',
        ),
        maxLength: 700,
      }),
      fc.constantFrom('+49 30 1234567', '(415) 555-2671', 'linkedin.com/in/x', 'acme.com', 'Germany', 'US', "o'neil"),
    );
    const email = fc.oneof(
      fc.constantFrom('jane@x.com', ' Jane@X.com ', 'mailto:a@b.co', 'Jane <jane@x.com>'),
      fc.emailAddress(),
      anyText,
    );
    const fieldsArb = fc.record(
      {
        email,
        fullName: anyText,
        ...Object.fromEntries(LEAD_FIELDS.filter((field) => field !== 'email').map((field) => [field, anyText])),
      },
      { requiredKeys: [] },
    ) as fc.Arbitrary<RawLead['fields']>;
    const customArb = fc.array(fc.tuple(fc.string({ maxLength: 10 }), anyText), { maxLength: 4 });
    const controlOrInvisible = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/;

    it.each([true, false])('cleanup %s: a result for any strings, within the limits', (cleanup) => {
      fc.assert(
        fc.property(fieldsArb, customArb, (fields, custom) => {
          const result = normalizer.normalize({ fields, custom }, cleanup);
          if (!result.ok) {
            expect(typeof result.error).toBe('string');
            expect(codePointLength(result.email)).toBeLessThanOrEqual(255);
            return;
          }
          expect(result.identity).toBe(identityOf(result.fields.email ?? ''));
          for (const [field, value] of Object.entries(result.fields)) {
            expect(LEAD_FIELDS).toContain(field);
            expect(value.trim()).not.toBe('');
            expect(codePointLength(value)).toBeLessThanOrEqual(FIELD_MAX_LENGTH[field as LeadField]);
            if (cleanup && field !== 'notes') expect(value).not.toMatch(controlOrInvisible);
          }
          for (const [, value] of result.custom) {
            expect(value.trim()).not.toBe('');
            expect(codePointLength(value)).toBeLessThanOrEqual(CUSTOM_VALUE_MAX_LENGTH);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('cleanup on is idempotent: cleaning a cleaned lead changes nothing', () => {
      fc.assert(
        fc.property(fieldsArb, customArb, (fields, custom) => {
          const first = normalizer.normalize({ fields, custom }, true);
          if (!first.ok) return;
          const again = normalizer.normalize({ fields: first.fields, custom: first.custom }, true);
          expect(again).toEqual(first);
        }),
        { numRuns: 500 },
      );
    });
  });
});
