import { cleanNotes, cleanText, codePointLength } from './text';

describe('cleanText', () => {
  it.each([
    ['already clean', 'Acme Corp', 'Acme Corp'],
    ['trims', '  Acme Corp  ', 'Acme Corp'],
    ['collapses spaces', 'Acme    Corp', 'Acme Corp'],
    ['collapses tabs and newlines', 'Acme\t\r\n Corp\n', 'Acme Corp'],
    ['collapses NBSP and other Unicode spaces', 'Acme\u00a0\u2003Corp\u3000', 'Acme Corp'],
    ['line and paragraph separators and NEL', 'a\u2028b\u2029c\u0085d', 'a b c d'],
    ['removes NUL and other C0 controls', 'Ac\u0000me\u0007 Co\u001brp', 'Acme Corp'],
    ['removes C1 controls and DEL', 'Ac\u007fme\u009b', 'Acme'],
    ['removes zero-width characters', '\ufeffAc\u200bme\u200c \u200dCorp\u2060', 'Acme Corp'],
    ['removes soft hyphens and bidi overrides', 'Ac\u00adme \u202eCorp\u202c\u2066\u2069', 'Acme Corp'],
    ['keeps diacritics and non-Latin scripts', ' Société  Générale 東京 ', 'Société Générale 東京'],
    ['composes to NFC', 'Cafe\u0301', 'Caf\u00e9'],
    ['keeps formula-like values', '=SUM(A1:A2)', '=SUM(A1:A2)'],
    ['keeps emoji', 'Rocket 🚀 Inc', 'Rocket 🚀 Inc'],
    ['drops lone surrogates but keeps pairs', 'a\ud800b\udc00c😀', 'abc😀'],
    ['only whitespace and invisibles', ' \t\u200b\u00a0\n', ''],
  ])('%s', (_, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });
});

describe('cleanNotes', () => {
  it.each([
    ['single line', 'Met at SaaStr', 'Met at SaaStr'],
    ['CRLF and CR become LF', 'a\r\nb\rc', 'a\nb\nc'],
    ['Unicode line separators become LF', 'a\u2028b\u0085c', 'a\nb\nc'],
    ['trailing spaces of each line go', 'a  \t\nb \u00a0\nc', 'a\nb\nc'],
    ['keeps spacing inside a line and tabs', 'Item:\tvalue   here', 'Item:\tvalue   here'],
    ['keeps one blank line', 'a\n\nb', 'a\n\nb'],
    ['shrinks runs of blank lines to one', 'a\n\n\n\n\nb\r\n\r\n\r\nc', 'a\n\nb\n\nc'],
    ['blank lines with spaces count as blank', 'a\n  \n \t \n\nb', 'a\n\nb'],
    ['trims leading and trailing blank lines', '\n\n  a\nb\n\n', 'a\nb'],
    ['removes controls except tab and newline', 'a\u0000b\u000bc\u000cd\te', 'abcd\te'],
    ['removes zero-width characters', 'a\u200bb\ufeff', 'ab'],
    ['only whitespace', '\r\n \t \n', ''],
  ])('%s', (_, input, expected) => {
    expect(cleanNotes(input)).toBe(expected);
  });

  it('handles a long run of spaces in linear time', () => {
    const value = `a${' '.repeat(200_000)}b${' '.repeat(200_000)}`;
    expect(cleanNotes(value)).toBe(`a${' '.repeat(200_000)}b`);
  });
});

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['Société', 7],
    ['😀😀', 2],
    ['a\ud800', 2],
    ['\udc00\ud800', 2],
  ])('%j has %i code points', (value, expected) => {
    expect(codePointLength(value)).toBe(expected);
  });
});
