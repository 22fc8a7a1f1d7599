import fc from 'fast-check';
import isEmail from 'validator/lib/isEmail';
import { cleanEmail, identityOf, isValidEmail } from './email';
import { codePointLength } from './text';

describe('cleanEmail', () => {
  it.each([
    ['already clean', 'jane@x.com', 'jane@x.com'],
    ['trims and lower-cases', '  Jane.Doe@Example.COM ', 'jane.doe@example.com'],
    ['mailto: prefix', 'mailto:jane@x.com', 'jane@x.com'],
    ['MAILTO: in any case', 'MailTo:Jane@X.com', 'jane@x.com'],
    ['mailto: with a query', 'mailto:jane@x.com?subject=Hi', 'jane@x.com'],
    ['display name and angle brackets', 'Jane Doe <Jane@X.com>', 'jane@x.com'],
    ['quoted display name', '"Doe, Jane" <jane@x.com>', 'jane@x.com'],
    ['angle brackets only', '<jane@x.com>', 'jane@x.com'],
    ['mailto inside angle brackets', '<mailto:jane@x.com>', 'jane@x.com'],
    ['wrapping quotes', '"jane@x.com"', 'jane@x.com'],
    ['zero-width characters', '\u200bjane\u200c@x\u200d.com\ufeff', 'jane@x.com'],
    ['NFC', 'jose\u0301@x.com', 'jos\u00e9@x.com'],
    ['keeps fullwidth letters (the identity folds them)', 'ｊａｎｅ@acme.com', 'ｊａｎｅ@acme.com'],
    ['keeps a Unicode domain (the identity encodes it)', 'user@BÜCHER.de', 'user@bücher.de'],
    ['keeps quotes around a local part', '"jane"@acme.com', '"jane"@acme.com'],
    ['keeps what it cannot fix', 'not an email', 'not an email'],
  ])('%s: %j → %j', (_, input, expected) => {
    expect(cleanEmail(input)).toBe(expected);
  });
});

describe('identityOf', () => {
  it.each([
    ['jane@x.com', 'jane@x.com'],
    ['  Jane@X.COM\t', 'jane@x.com'],
    ['JOSE\u0301@X.COM', 'jos\u00e9@x.com'],
    ['ｊａｎｅ@acme.com', 'jane@acme.com'],
    ['ＪＡＮＥ＠ＡＣＭＥ．ＣＯＭ', 'jane@acme.com'],
    ['user@BÜCHER.de', 'user@xn--bcher-kva.de'],
    ['user@xn--bcher-kva.de', 'user@xn--bcher-kva.de'],
    ['jürgen@MÜNCHEN.de', 'jürgen@xn--mnchen-3ya.de'],
    ['"jane"@acme.com', 'jane@acme.com'],
    ['"Jane.Doe+x"@acme.com', 'jane.doe+x@acme.com'],
    ['"john doe"@example.com', '"john doe"@example.com'],
    ['"jane..doe"@example.com', '"jane..doe"@example.com'],
    ['not an email', 'not an email'],
  ])('%j → %j', (input, expected) => {
    expect(identityOf(input)).toBe(expected);
  });

  it('is idempotent and equal for the cleaned and the raw form of a cell', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aJ"ｊＡ@.Üü-+ é\u0301'.split('')) }), (email) => {
        const identity = identityOf(email);
        // cleanEmail also unwraps a quoted whole cell ("a@b.com"): compare only cells it merely tidies.
        const wrapped = email.trim().endsWith('"');
        return identityOf(identity) === identity && (wrapped || identityOf(cleanEmail(email)) === identity);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isValidEmail', () => {
  it.each([
    'jane@x.com',
    'jane.doe+sales@sub.example.co.uk',
    "o'neil@example.com",
    'a_b-c@example-company.io',
    'jürgen@münchen.de',
    '"john doe"@example.com',
    'x@xn--bcher-kva.example',
    `${'a'.repeat(64)}@x.com`,
    `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(56)}.com`, // 254 characters
  ])('accepts %j', (email) => {
    expect(isValidEmail(email)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['no @', 'jane.x.com'],
    ['no local part', '@x.com'],
    ['no domain', 'jane@'],
    ['no TLD', 'jane@localhost'],
    ['one-letter TLD', 'jane@x.c'],
    ['numeric TLD', 'jane@x.123'],
    ['IP domain', 'jane@127.0.0.1'],
    ['bracketed IP', 'jane@[127.0.0.1]'],
    ['two @', 'jane@doe@x.com'],
    ['double dot', 'jane..doe@x.com'],
    ['leading dot', '.jane@x.com'],
    ['space', 'jane doe@x.com'],
    ['display name', 'Jane <jane@x.com>'],
    ['mailto: left in', 'mailto:jane@x.com'],
    ['underscore in domain', 'jane@x_y.com'],
    ['hyphen-edged label', 'jane@-x.com'],
    ['formula', '=HYPERLINK("x")@x.com'],
    ['leading =', '=jane@x.com'],
    ['leading +', '+jane@x.com'],
    ['leading -', '-jane@x.com'],
    ['leading + as a formula', '+1+cmd|x@x.com'],
    ['quoted leading @', '"@sum(a1)"@x.com'],
    ['quoted leading =', '"=1+1"@x.com'],
    ['local part over 64', `${'a'.repeat(65)}@x.com`],
    ['over 254 characters', `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}.com`],
    ['control character', 'ja\u0000ne@x.com'],
    ['zero-width character', 'ja\u200bne@x.com'],
    ['bidi override', '\u202ejane@x.com'],
    ['lone high surrogate', 'ja\ud800ne@x.com'],
    ['lone low surrogate', 'jane@x\udc00.com'],
  ])('rejects %s', (_, email) => {
    expect(isValidEmail(email)).toBe(false);
  });

  // The fast path must never accept what validator's isEmail (plus our extra rules) refuses, nor the reverse.
  function reference(email: string): boolean {
    return (
      !/^"?[=+\-@]/.test(email) &&
      !/[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/.test(email) &&
      codePointLength(email) <= 254 &&
      isEmail(email, { require_tld: true, allow_display_name: false, allow_ip_domain: false })
    );
  }
  const atext = fc.constantFrom(...'abcxyz019.-_+!#$%&\'*/=?^`{|}~@"<> É\u200b'.split(''));
  const emailLike = fc
    .tuple(
      fc.string({ unit: atext, minLength: 0, maxLength: 70 }),
      fc.string({ unit: fc.constantFrom(...'abz09-._'.split('')), minLength: 0, maxLength: 70 }),
      fc.constantFrom('com', 'io', 'c', '123', 'xn--p1ai', 'co.uk', ''),
    )
    .map(([local, host, tld]) => `${local}@${host}.${tld}`);

  it('agrees with isEmail on email-like strings', () => {
    fc.assert(
      fc.property(emailLike, (email) => isValidEmail(email) === reference(email)),
      { numRuns: 3000 },
    );
  });

  it('agrees with isEmail on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (email) => isValidEmail(email) === reference(email)));
  });
});
