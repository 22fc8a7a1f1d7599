import { cleanName, splitFullName, withoutEmails } from './names';

describe('cleanName', () => {
  it.each([
    ['a plain name', 'Jane', 'Jane'],
    ['trims and collapses whitespace', '  Mary \t Jane ', 'Mary Jane'],
    ['ALL CAPS → Title Case', 'JOHN', 'John'],
    ['all lower → Title Case', 'jane', 'Jane'],
    ['apostrophe: o’neil', "o'neil", "O'Neil"],
    ['apostrophe in caps', "O'NEIL", "O'Neil"],
    ['curly apostrophe becomes straight', 'O’Neil', "O'Neil"],
    ['hyphenated lower', 'jean-luc', 'Jean-Luc'],
    ['en dash becomes hyphen', 'Jean–Luc', 'Jean-Luc'],
    ['particles in lower case (simple rule)', 'van der berg', 'Van Der Berg'],
    ['mixed case McDonald is kept', 'McDonald', 'McDonald'],
    ['mixed case DeVito is kept', 'DeVito', 'DeVito'],
    ['mixed case van Dijk is kept', 'van Dijk', 'van Dijk'],
    ['a name that is an apostrophe word is not split', "ma'ayan", "Ma'ayan"],
    ['Dutch tussenvoegsel with apostrophe kept as written', "'t Hooft", "'t Hooft"],
    ['diacritics kept', 'José Müller-Łukasiewicz', 'José Müller-Łukasiewicz'],
    ['diacritics in caps', 'ÉMILE ZOLA', 'Émile Zola'],
    ['non-Latin scripts kept', '山田 太郎', '山田 太郎'],
    ['Greek caps', 'ΣΩΚΡΆΤΗΣ', 'Σωκράτης'],
    ['initials with periods', 'J.R.R.', 'J.R.R.'],
    ['lower initials', 'j.r.', 'J.R.'],
    ['periods kept: Jr.', 'Smith Jr.', 'Smith Jr.'],
    ['stray symbols removed', '*Jane#!?', 'Jane'],
    ['a leading @ is a stray symbol', '@john', 'John'],
    ['formula characters removed', '=Jane+', 'Jane'],
    ['leading hyphen removed', '-Jane', 'Jane'],
    ['emoji removed', 'Jane 🚀✨', 'Jane'],
    ['digits removed', 'Jane2', 'Jane'],
    ['bracketed nickname removed', 'Robert (Bob) Smith', 'Robert Smith'],
    ['bracketed note removed', 'Jane [Sales]', 'Jane'],
    ['bracketed alone is the name', '(Jane)', 'Jane'],
    ['symbol between words becomes a space', 'Jane/Mary', 'Jane Mary'],
    ['zero-width and controls removed', 'Ja\u200bne\u0000', 'Jane'],
    ['middle dot kept (Catalan)', 'Gal·la', 'Gal·la'],
    ['katakana middle dot kept', 'ジョン・スミス', 'ジョン・スミス'],
    ['combining marks composed', 'Jose\u0301', 'José'],
    ['ß is not upper-cased to SS', 'ßtraße', 'ßtraße'],
    ['only symbols → empty', '???', ''],
    ['only punctuation → empty', "-'.", ''],
    ['empty → empty', '', ''],
  ])('%s: %j → %j', (_, input, expected) => {
    expect(cleanName(input)).toBe(expected);
  });

  it('is idempotent on its own output', () => {
    for (const name of ["o'neil", 'JEAN-LUC', 'ÉMILE', 'İSMAİL', 'ßtraße', 'van der berg']) {
      const once = cleanName(name);
      expect(cleanName(once)).toBe(once);
    }
  });
});

describe('splitFullName', () => {
  it.each([
    ['first last', 'Jane Doe', { firstName: 'Jane', lastName: 'Doe' }],
    ['middle names go to the first name', 'Mary Jane Watson', { firstName: 'Mary Jane', lastName: 'Watson' }],
    ['particle starts the last name', 'Jane van der Berg', { firstName: 'Jane', lastName: 'van der Berg' }],
    ['particle de la', 'Maria de la Cruz', { firstName: 'Maria', lastName: 'de la Cruz' }],
    ['capitalised particle', 'Ludwig Van Beethoven', { firstName: 'Ludwig', lastName: 'Van Beethoven' }],
    ['last, first', 'Doe, Jane', { firstName: 'Jane', lastName: 'Doe' }],
    ['last, first middle', 'Doe, Jane Mary', { firstName: 'Jane Mary', lastName: 'Doe' }],
    ['single word', 'Cher', { firstName: 'Cher' }],
    ['honorific Dr.', 'Dr. Jane Doe', { firstName: 'Jane', lastName: 'Doe' }],
    ['honorifics Mr/Mrs/Ms', 'Mrs Jane Doe', { firstName: 'Jane', lastName: 'Doe' }],
    ['honorific lower case', 'ms. jane doe', { firstName: 'jane', lastName: 'doe' }],
    ['suffix Jr.', 'John Smith Jr.', { firstName: 'John', lastName: 'Smith' }],
    ['suffix after a comma', 'Jane Doe, PhD', { firstName: 'Jane', lastName: 'Doe' }],
    ['suffix Ph.D. and honorific', 'Dr. Jane Doe Ph.D.', { firstName: 'Jane', lastName: 'Doe' }],
    ['last, first with honorific', 'Doe, Dr. Jane', { firstName: 'Jane', lastName: 'Doe' }],
    ['extra whitespace', '  Jane \t  Doe  ', { firstName: 'Jane', lastName: 'Doe' }],
    ['only an honorific is kept as a name', 'Dr', { firstName: 'Dr' }],
    ['empty', '   ', {}],
    ['only commas', ' , ', {}],
  ])('%s: %j', (_, input, expected) => {
    expect(splitFullName(input)).toEqual(expected);
  });
});

describe('withoutEmails', () => {
  it.each([
    ['jane@example.com', ''],
    ['Jane Doe <jane@example.com>', 'Jane Doe'],
    ['Jane (jane@example.com)', 'Jane'],
    ['mailto:jane@example.com', ''],
    ['Jane', 'Jane'],
    ['Jane @ Acme', 'Jane @ Acme'],
  ])('%j → %j', (value, expected) => expect(withoutEmails(value)).toBe(expected));
});
