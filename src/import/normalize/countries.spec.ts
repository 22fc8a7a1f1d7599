import { countryToAlpha2, formatCountry, isAlpha2Code } from './countries';

describe('countryToAlpha2', () => {
  it.each([
    ['Germany', 'DE'],
    ['germany', 'DE'],
    ['  GERMANY ', 'DE'],
    ['Deutschland', 'DE'],
    ['DE', 'DE'],
    ['de', 'DE'],
    ['DEU', 'DE'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['U.S.', 'US'],
    ['us', 'US'],
    ['America', 'US'],
    ['The United States', 'US'],
    ['the Bahamas', 'BS'],
    ['UK', 'GB'],
    ['U.K.', 'GB'],
    ['United Kingdom', 'GB'],
    ['Great Britain', 'GB'],
    ['England', 'GB'],
    ['Scotland', 'GB'],
    ['GBR', 'GB'],
    ['España', 'ES'],
    ['Espana', 'ES'],
    ['Spain', 'ES'],
    ['France', 'FR'],
    ['Italia', 'IT'],
    ['The Netherlands', 'NL'],
    ['Netherlands', 'NL'],
    ['Holland', 'NL'],
    ['Nederland', 'NL'],
    ['Brasil', 'BR'],
    ['México', 'MX'],
    ['Schweiz', 'CH'],
    ['Österreich', 'AT'],
    ['South Korea', 'KR'],
    ['Korea, Republic of', 'KR'],
    ['Russia', 'RU'],
    ['Россия', 'RU'],
    ['日本', 'JP'],
    ['Türkiye', 'TR'],
    ['Turkey', 'TR'],
    ['Czech Republic', 'CZ'],
    ['Czechia', 'CZ'],
    ['UAE', 'AE'],
    ['Côte d’Ivoire', 'CI'],
    ['Ivory Coast', 'CI'],
    ['India', 'IN'],
    ['IND', 'IN'],
    ['Australia', 'AU'],
    ['Japan', 'JP'],
    ['Canada', 'CA'],
  ])('%j → %s', (name, expected) => {
    expect(countryToAlpha2(name)).toBe(expected);
  });

  it.each(['', 'Atlantis', 'XX', 'Remote', 'EU', 'x'.repeat(500)])('%j is not recognised', (name) => {
    expect(countryToAlpha2(name)).toBeUndefined();
  });

  it('answers the same the second time (cached)', () => {
    expect(countryToAlpha2('Deutschland')).toBe('DE');
    expect(countryToAlpha2('Deutschland')).toBe('DE');
  });
});

describe('formatCountry', () => {
  it.each([
    ['de', 'DE'],
    ['usa', 'USA'],
    ['uk', 'UK'],
    ['Germany', 'Germany'],
    ['germany', 'Germany'],
    ['UNITED STATES', 'United States'],
    ['bosnia and herzegovina', 'Bosnia and Herzegovina'],
    ['ISLE OF MAN', 'Isle of Man'],
    ['U.S.A.', 'U.S.A.'],
    ['u.s.a.', 'U.S.A.'],
    ['Deutschland', 'Deutschland'],
    ['côte d’ivoire', 'Côte d’Ivoire'],
    ['GUINEA-BISSAU', 'Guinea-Bissau'],
    ['日本', '日本'],
  ])('%j → %j', (value, expected) => expect(formatCountry(value)).toBe(expected));
});

describe('isAlpha2Code', () => {
  it.each(['DE', 'us', 'GB', 'NA'])('%j is one', (value) => expect(isAlpha2Code(value)).toBe(true));
  it.each(['UK', 'XX', 'DEU', 'Germany', '', 'D'])('%j is not', (value) => expect(isAlpha2Code(value)).toBe(false));
});
