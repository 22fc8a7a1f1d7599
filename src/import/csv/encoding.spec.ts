import iconv from 'iconv-lite';
import { decodeUpload as decodeBytes, isKnownEncoding } from './encoding';

/** The decoded upload with its text as a string. */
function decodeUpload(file: Buffer, override?: string) {
  const decoded = decodeBytes(file, override);
  return { ...decoded, text: decoded.text.toString('utf8') };
}

/** The same small contact file, with names in the language each encoding is used for (made-up people). */
function contactFile(names: string[][]): string {
  const rows = names.map(([first, last, company, city], i) => `p${i}@example.com,${first},${last},${company},${city}`);
  return ['Email,First Name,Last Name,Company,City', ...rows].join('\r\n') + '\r\n';
}

const WESTERN = contactFile([
  ['José', 'Müller', 'Société Générale “Est”', 'Zürich'],
  ['François', 'Dupré', 'Château Élysée – €5', 'Besançon'],
  ['Ærø', "O'Brien", 'Größe GmbH', 'São Paulo'],
]);
const POLISH = contactFile([
  ['Łukasz', 'Żółkiewski', 'Spółka Świat', 'Łódź'],
  ['Zofia', 'Wąsik', 'Gęś i Syn', 'Kraków'],
  ['Jiří', 'Dvořák', 'Černý a.s.', 'Plzeň'],
]);
const RUSSIAN = contactFile([
  ['Иван', 'Петров', 'Рога и копыта', 'Москва'],
  ['Ольга', 'Смирнова', 'Северсталь', 'Санкт-Петербург'],
]);
const JAPANESE = contactFile([
  ['太郎', '山田', '株式会社サンプル', '東京都'],
  ['花子', '佐藤', 'テスト商事', '大阪市'],
]);
const CHINESE = contactFile([
  ['伟', '王', '示例科技有限公司', '北京'],
  ['芳', '李', '测试集团', '上海'],
]);
const GREEK = contactFile([
  ['Γιώργος', 'Παπαδόπουλος', 'Εταιρεία ΑΕ', 'Αθήνα'],
  ['Ελένη', 'Νικολάου', 'Δοκιμή ΟΕ', 'Θεσσαλονίκη'],
]);
const GERMAN_DOS = contactFile([
  ['Jürgen', 'Müller', 'Bäckerei Größe', 'München'],
  ['Ömer', 'Çelik', 'Öl & Gas', 'Köln'],
]);

describe('decodeUpload', () => {
  it.each([
    ['utf-8', WESTERN],
    ['utf-16le', WESTERN],
    ['utf-16be', WESTERN],
    ['utf-16le', JAPANESE],
    ['windows-1252', WESTERN],
    ['windows-1250', POLISH],
    ['windows-1251', RUSSIAN],
    ['shift_jis', JAPANESE],
    ['gb18030', CHINESE],
    ['iso-8859-7', GREEK],
    ['cp850', GERMAN_DOS],
  ])('reads a contact file saved in %s as the UTF-8 one', (encoding, text) => {
    const decoded = decodeUpload(iconv.encode(text, encoding));
    expect(decoded.text).toBe(text);
    expect(decoded.warnings).toEqual([]);
    expect(decoded.confidence).toBeGreaterThan(0);
  });

  it('keeps the answers of the reader before the detector: UTF-8, UTF-16 by BOM or NULs, Windows-1252', () => {
    const text = 'Name\tCity\tNote\r\nJosé\tZürich\t“quoted” – €5\r\n';
    expect(decodeUpload(Buffer.from(text))).toEqual({ encoding: 'utf-8', confidence: 1, text, warnings: [] });
    expect(decodeUpload(Buffer.from(`\uFEFF${text}`))).toMatchObject({ encoding: 'utf-8', text });
    for (const encoding of ['utf-16le', 'utf-16be']) {
      expect(decodeUpload(iconv.encode(text, encoding, { addBOM: true }))).toMatchObject({ encoding, text });
      expect(decodeUpload(iconv.encode(text, encoding))).toMatchObject({ encoding, text });
    }
    expect(decodeUpload(iconv.encode(text, 'windows-1252'))).toMatchObject({ encoding: 'windows-1252', text });
    const german = 'email,name\na@b.co,Anne-Marie Löwe\n';
    expect(decodeUpload(iconv.encode(german, 'windows-1252'))).toMatchObject({
      encoding: 'windows-1252',
      text: german,
    });
  });

  it('reports the detected encoding and its confidence', () => {
    const decoded = decodeUpload(iconv.encode(RUSSIAN, 'windows-1251'));
    expect(decoded.encoding).toBe('windows-1251');
    expect(decoded.confidence).toBeGreaterThan(0);
    expect(decoded.confidence).toBeLessThan(1);
  });

  it('finds a legacy encoding whose first non-ASCII byte is far into the file', () => {
    const head = contactFile(Array.from({ length: 3000 }, () => ['Ann', 'Lee', 'Acme', 'Leeds']));
    const text = head + RUSSIAN.split('\r\n').slice(1).join('\r\n');
    expect(decodeUpload(iconv.encode(text, 'windows-1251')).text).toBe(text);
  });

  it('decodes with the label the caller gives, BOM or not', () => {
    const file = iconv.encode(GERMAN_DOS, 'cp850');
    expect(decodeUpload(file, 'CP850')).toEqual({ encoding: 'cp850', confidence: 1, text: GERMAN_DOS, warnings: [] });
    expect(decodeUpload(iconv.encode(GERMAN_DOS, 'utf-8', { addBOM: true }), 'utf-8').text).toBe(GERMAN_DOS);
    // The caller's label wins over detection, even when wrong.
    expect(decodeUpload(iconv.encode(RUSSIAN, 'windows-1251'), 'windows-1252').text).not.toBe(RUSSIAN);
  });

  it('reads a UTF-8 file with a few broken bytes as UTF-8, with a warning', () => {
    const file = Buffer.concat([Buffer.from(WESTERN), Buffer.from([0xe9]), Buffer.from(',x,y\r\n')]);
    const decoded = decodeUpload(file);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.confidence).toBeLessThan(1);
    expect(decoded.text).toBe(`${WESTERN}\ufffd,x,y\r\n`);
    expect(decoded.warnings).toHaveLength(1);
    expect(decoded.warnings[0]).toMatch(/1 character\(s\) could not be read.*"encoding" field/);
  });

  it('warns when the text has unreadable characters, never silent mojibake', () => {
    // Shift_JIS read as Windows-1252 leaves bytes that Windows-1252 has no character for.
    const decoded = decodeUpload(iconv.encode(JAPANESE, 'shift_jis'), 'windows-1252');
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.warnings).toEqual([expect.stringMatching(/read as windows-1252 \(as asked\), but \d+ character/)]);
  });

  it('knows the labels iconv-lite knows', () => {
    for (const label of ['windows-1251', 'Shift_JIS', 'cp850', 'latin1', 'UTF-16LE', 'gb18030']) {
      expect(isKnownEncoding(label)).toBe(true);
    }
    for (const label of ['', ' ', 'klingon', 'utf-9']) expect(isKnownEncoding(label)).toBe(false);
  });
});
