import type { CountryCode } from 'libphonenumber-js';
import { dominantRegion, normalizePhone, phoneDigitCount, phoneRegionOf } from './phone';

describe('normalizePhone', () => {
  it.each<[string, string, CountryCode, string]>([
    ['US', '(415) 555-2671', 'US', '+14155552671'],
    ['US dots', '415.555.2671', 'US', '+14155552671'],
    ['US with trunk 1', '1-415-555-2671', 'US', '+14155552671'],
    ['UK landline', '020 7946 0958', 'GB', '+442079460958'],
    ['UK mobile', '07911 123456', 'GB', '+447911123456'],
    ['DE landline', '030 1234567', 'DE', '+49301234567'],
    ['DE mobile', '0151 23456789', 'DE', '+4915123456789'],
    ['FR landline', '01 42 68 53 00', 'FR', '+33142685300'],
    ['FR mobile', '06 12 34 56 78', 'FR', '+33612345678'],
    ['ES landline', '912 34 56 78', 'ES', '+34912345678'],
    ['ES mobile', '612 34 56 78', 'ES', '+34612345678'],
    ['IT landline keeps its 0', '06 6982 1234', 'IT', '+390669821234'],
    ['IT mobile', '333 123 4567', 'IT', '+393331234567'],
    ['NL landline', '020 123 4567', 'NL', '+31201234567'],
    ['NL mobile', '06 12345678', 'NL', '+31612345678'],
    ['IN mobile', '98765 43210', 'IN', '+919876543210'],
    ['IN landline', '022 2345 6789', 'IN', '+912223456789'],
    ['BR mobile', '(11) 91234-5678', 'BR', '+5511912345678'],
    ['BR landline', '(21) 2345-6789', 'BR', '+552123456789'],
    ['AU landline', '(02) 9876 5432', 'AU', '+61298765432'],
    ['AU mobile', '0412 345 678', 'AU', '+61412345678'],
    ['JP landline', '03-1234-5678', 'JP', '+81312345678'],
    ['JP mobile', '090-1234-5678', 'JP', '+819012345678'],
    ['JP full-width digits', '０９０－１２３４－５６７８', 'JP', '+819012345678'],
    ['CA Toronto', '(416) 555-0199', 'CA', '+14165550199'],
    ['CA Vancouver', '604-555-1234', 'CA', '+16045551234'],
    ['US exit code 011', '011 44 20 7946 0958', 'US', '+442079460958'],
    ['an international number ignores the row country', '+33 6 12 34 56 78', 'US', '+33612345678'],
  ])('%s: %j in %s → %j', (_, input, region, expected) => {
    expect(normalizePhone(input, region)).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['E.164 already', '+14155552671', '+14155552671'],
    ['+ with spaces', '+44 20 7946 0958', '+442079460958'],
    ['+ with dashes', '+1-415-555-2671', '+14155552671'],
    ['leading 00', '0044 20 7946 0958', '+442079460958'],
    ['leading 00 with a space', '00 1 415 555 2671', '+14155552671'],
    ['(0) trunk inside', '+49 (0) 30 1234567', '+49301234567'],
    ['bracketed calling code', '(+49) 30 1234567', '+49301234567'],
    ['bracketed 00 calling code', '(0049) 30 1234567', '+49301234567'],
    ['tel: prefix', 'tel:+1-415-555-2671', '+14155552671'],
    ['a label', 'Mobile: +44 7911 123456', '+447911123456'],
    ['a note after the number', '+1 415 555 2671 (mobile)', '+14155552671'],
    ["Excel's ' text marker", "'+14155552671", '+14155552671'],
    ['plus dropped by a spreadsheet', '14155552671', '+14155552671'],
    ['plus dropped, UK', '442079460958', '+442079460958'],
    ['full-width plus and digits', '＋１ ４１５ ５５５ ２６７１', '+14155552671'],
    ['JP international', '+81 3-1234-5678', '+81312345678'],
    ['IN international', '+91 98765 43210', '+919876543210'],
    ['BR international', '+55 11 91234-5678', '+5511912345678'],
    ['AU international', '+61 2 9876 5432', '+61298765432'],
    ['IT international', '+39 06 6982 1234', '+390669821234'],
    ['ES international', '+34 612 34 56 78', '+34612345678'],
    ['NL international', '+31 6 12345678', '+31612345678'],
    ['FR international', '+33 1 42 68 53 00', '+33142685300'],
    ['DE international', '+49 151 23456789', '+4915123456789'],
    ['CA international', '+1 416 555 0199', '+14165550199'],
  ])('%s: %j with no country → %j', (_, input, expected) => {
    expect(normalizePhone(input, undefined)).toBe(expected);
  });

  it.each<[string, string, CountryCode | undefined, string]>([
    ['ext.', '+1 415 555 2671 ext. 123', undefined, '+14155552671;ext=123'],
    ['x', '(415) 555-2671 x123', 'US', '+14155552671;ext=123'],
    ['#', '415-555-2671 #12', 'US', '+14155552671;ext=12'],
    ['RFC 3966 form', '+12125550123;ext=123', undefined, '+12125550123;ext=123'],
    ['tel: URI with ext', 'tel:+1-212-555-0123;ext=5', undefined, '+12125550123;ext=5'],
    ['UK ext', '020 7946 0958 ext 4', 'GB', '+442079460958;ext=4'],
  ])('keeps an extension (%s): %j → %j', (_, input, region, expected) => {
    expect(normalizePhone(input, region)).toBe(expected);
  });

  it.each<[string, string, CountryCode | undefined, string]>([
    ['a national number without a country', '(415) 555-2671', undefined, '(415) 555-2671'],
    ['too short', '123', 'US', '123'],
    ['not a number', 'n/a', 'US', 'n/a'],
    ['letters', '555-CALL-NOW', 'US', '555-CALL-NOW'],
    ['incomplete international', '+1 234', undefined, '+1 234'],
    ['a calling code in square brackets', '[+44] 20 7946 0958', undefined, '[+44] 20 7946 0958'],
    ['invalid for the country', '020 7946 0958', 'US', '020 7946 0958'],
    ['two numbers in one cell', '415-555-2671 / 415-555-9999', 'US', '415-555-2671 / 415-555-9999'],
    ['trimmed and whitespace collapsed', '  12  34 ', 'US', '12 34'],
    ['formula-like value', '=1+2', 'US', '=1+2'],
    ['very long', '1'.repeat(300), 'US', '1'.repeat(300)],
  ])('keeps %s as written: %j', (_, input, region, expected) => {
    expect(normalizePhone(input, region)).toBe(expected);
  });

  it('gives the same answer from its cache', () => {
    expect(normalizePhone('030 1234567', 'DE')).toBe('+49301234567');
    expect(normalizePhone('030 1234567', 'DE')).toBe('+49301234567');
    expect(normalizePhone('030 1234567', 'GB')).toBe('030 1234567');
  });
});

describe('phoneRegionOf', () => {
  it.each<[string | undefined, CountryCode | undefined]>([
    ['Germany', 'DE'],
    ['DE', 'DE'],
    ['us', 'US'],
    ['Antarctica', undefined], // a country, but no numbering plan of its own in libphonenumber
    ['Atlantis', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (country, expected) => {
    expect(phoneRegionOf(country)).toBe(expected);
  });
});
describe('dominantRegion', () => {
  it('is the country at least 80% of the rows with a country name, however they write it', () => {
    const countries = ['Germany', 'DE', 'Deutschland', 'deu', undefined, '', 'N/A', 'Austria'];
    expect(dominantRegion(countries)).toBe('DE'); // 4 of 5
  });

  it('is undefined below 80%, for unknown countries, and without countries', () => {
    expect(dominantRegion(['DE', 'DE', 'DE', 'AT', 'AT'])).toBeUndefined();
    expect(dominantRegion(['Atlantis', 'Atlantis'])).toBeUndefined();
    expect(dominantRegion(['DE', 'DE', 'DE', 'Atlantis'])).toBeUndefined(); // 3 of 4
    expect(dominantRegion([undefined, ' '])).toBeUndefined();
    expect(dominantRegion([])).toBeUndefined();
  });
});

describe('phoneDigitCount', () => {
  it.each([
    ['+1 (415) 555-2671', 11],
    ['１２３', 3],
    ['ext. 12', 2],
    ['n/a', 0],
  ])('%j has %d digits', (value, count) => expect(phoneDigitCount(value)).toBe(count));
});
