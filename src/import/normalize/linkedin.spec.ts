import { normalizeLinkedinUrl } from './linkedin';

describe('normalizeLinkedinUrl', () => {
  it.each([
    ['canonical already', 'https://www.linkedin.com/in/jane-doe', 'https://www.linkedin.com/in/jane-doe'],
    ['http', 'http://www.linkedin.com/in/jane-doe', 'https://www.linkedin.com/in/jane-doe'],
    ['no www', 'https://linkedin.com/in/jane-doe', 'https://www.linkedin.com/in/jane-doe'],
    ['no scheme', 'linkedin.com/in/jane-doe', 'https://www.linkedin.com/in/jane-doe'],
    ['www, no scheme', 'www.linkedin.com/in/jane-doe', 'https://www.linkedin.com/in/jane-doe'],
    ['country subdomain de', 'https://de.linkedin.com/in/jane-doe', 'https://www.linkedin.com/in/jane-doe'],
    ['country subdomain uk', 'uk.linkedin.com/in/jane-doe/', 'https://www.linkedin.com/in/jane-doe'],
    ['upper-case host and scheme', 'HTTPS://WWW.LINKEDIN.COM/IN/Jane-Doe', 'https://www.linkedin.com/in/Jane-Doe'],
    ['trailing slash', 'https://www.linkedin.com/in/jane-doe/', 'https://www.linkedin.com/in/jane-doe'],
    ['query', 'https://www.linkedin.com/in/jane-doe?trk=abc', 'https://www.linkedin.com/in/jane-doe'],
    ['query after slash', 'linkedin.com/in/jane-doe/?originalSubdomain=uk', 'https://www.linkedin.com/in/jane-doe'],
    ['fragment', 'https://www.linkedin.com/in/jane-doe#about', 'https://www.linkedin.com/in/jane-doe'],
    [
      'sub-page of a profile',
      'https://www.linkedin.com/in/jane-doe/details/experience/',
      'https://www.linkedin.com/in/jane-doe',
    ],
    ['slug case kept', 'linkedin.com/in/JaneDoe', 'https://www.linkedin.com/in/JaneDoe'],
    [
      'percent-encoded slug is decoded',
      'linkedin.com/in/j%C3%BCrgen-m%C3%BCller',
      'https://www.linkedin.com/in/jürgen-müller',
    ],
    ['encoded slash stays encoded', 'linkedin.com/in/a%2Fb', 'https://www.linkedin.com/in/a%2Fb'],
    ['encoded space stays encoded', 'linkedin.com/in/a%20b', 'https://www.linkedin.com/in/a%20b'],
    ['encoded zero-width stays encoded', 'linkedin.com/in/a%E2%80%8Bb', 'https://www.linkedin.com/in/a%E2%80%8Bb'],
    ['malformed escape kept', 'linkedin.com/in/a%E0%A4', 'https://www.linkedin.com/in/a%E0%A4'],
    ['company', 'https://www.linkedin.com/company/acme-corp/', 'https://www.linkedin.com/company/acme-corp'],
    [
      'company sub-page',
      'linkedin.com/company/acme-corp/about/?viewAsMember=true',
      'https://www.linkedin.com/company/acme-corp',
    ],
    ['company by id', 'http://linkedin.com/company/12345', 'https://www.linkedin.com/company/12345'],
    [
      'school keeps its type',
      'https://www.linkedin.com/school/stanford-university/',
      'https://www.linkedin.com/school/stanford-university',
    ],
    ['showcase keeps its type', 'de.linkedin.com/showcase/acme-labs', 'https://www.linkedin.com/showcase/acme-labs'],
    [
      'old /pub/ profile',
      'http://uk.linkedin.com/pub/john-smith/12/345/678/',
      'https://www.linkedin.com/pub/john-smith/12/345/678',
    ],
    [
      'surrounding whitespace and zero-width',
      ' \u200blinkedin.com/in/jane-doe ',
      'https://www.linkedin.com/in/jane-doe',
    ],
  ])('%s: %j → %j', (_, input, expected) => {
    expect(normalizeLinkedinUrl(input)).toBe(expected);
  });

  it.each([
    ['another site', 'https://example.com/in/jane-doe'],
    ['a look-alike host', 'https://notlinkedin.com/in/jane-doe'],
    ['linkedin.com as a subdomain elsewhere', 'https://linkedin.com.evil.io/in/jane-doe'],
    ['a bare slug', 'jane-doe'],
    ['a profile without a slug', 'https://www.linkedin.com/in/'],
    ['the home page', 'linkedin.com'],
    ['a post', 'https://www.linkedin.com/posts/jane-doe_activity-123'],
    ['a search', 'https://www.linkedin.com/search/results/people/?keywords=jane'],
    ['Sales Navigator', 'https://www.linkedin.com/sales/lead/ACwAAA,NAME_SEARCH'],
    ['text with spaces', 'linkedin.com/in/jane doe'],
    ['n/a', 'n/a'],
    ['formula-like', '=HYPERLINK("linkedin.com/in/x")'],
  ])('keeps %s as written', (_, input) => {
    expect(normalizeLinkedinUrl(input)).toBe(input);
  });

  it('trims and cleans what it keeps', () => {
    expect(normalizeLinkedinUrl('  jane  doe ')).toBe('jane doe');
  });
});
