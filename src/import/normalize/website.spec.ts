import { normalizeWebsite } from './website';

describe('normalizeWebsite', () => {
  it.each([
    ['bare domain gets https', 'acme.com', 'https://acme.com'],
    ['www kept', 'www.acme.com', 'https://www.acme.com'],
    ['host lower-cased', 'WWW.Acme.COM', 'https://www.acme.com'],
    ['https kept', 'https://acme.com', 'https://acme.com'],
    ['explicit http kept', 'http://acme.com', 'http://acme.com'],
    ['scheme lower-cased', 'HTTP://Acme.com', 'http://acme.com'],
    ['trailing slash removed', 'https://acme.com/', 'https://acme.com'],
    ['trailing slashes of the path removed', 'acme.com/about//', 'https://acme.com/about'],
    ['path case kept', 'Acme.com/About/Team', 'https://acme.com/About/Team'],
    ['query kept', 'acme.com/?utm_source=x&Ref=Y', 'https://acme.com?utm_source=x&Ref=Y'],
    ['path and query', 'https://acme.com/p/?q=1', 'https://acme.com/p?q=1'],
    ['fragment kept', 'acme.com/#Contact', 'https://acme.com#Contact'],
    ['port kept', 'acme.com:8080/x', 'https://acme.com:8080/x'],
    ['protocol-relative', '//acme.com/x', 'https://acme.com/x'],
    ['subdomains', 'shop.eu.acme.co.uk', 'https://shop.eu.acme.co.uk'],
    ['internationalised domain', 'Bücher.de', 'https://bücher.de'],
    ['punycode TLD', 'xn--80ak6aa92e.xn--p1ai', 'https://xn--80ak6aa92e.xn--p1ai'],
    ['IP address with explicit scheme', 'http://192.168.0.1/admin/', 'http://192.168.0.1/admin'],
    ['localhost with explicit scheme', 'http://localhost:3000', 'http://localhost:3000'],
    ['trimmed', '  acme.com  ', 'https://acme.com'],
  ])('%s: %j → %j', (_, input, expected) => {
    expect(normalizeWebsite(input)).toBe(expected);
  });

  it.each([
    ['not a URL', 'N/A'],
    ['a word', 'none'],
    ['no TLD', 'acme'],
    ['numeric TLD', 'acme.123'],
    ['an email', 'info@acme.com'],
    ['user info', 'https://user:pw@acme.com'],
    ['another scheme', 'ftp://acme.com/file'],
    ['mailto', 'mailto:info@acme.com'],
    ['bare IP address', '192.168.0.1'],
    ['text with spaces', 'see acme.com'],
    ['hyphen-edged label', '-acme.com'],
    ['formula-like', '=HYPERLINK("acme.com")'],
    ['empty host', 'https:///path'],
  ])('keeps %s as written', (_, input) => {
    expect(normalizeWebsite(input)).toBe(input);
  });
});
