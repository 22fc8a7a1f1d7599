import { parseImportForm } from '../dto/import-csv.form';
import { canonicalJson, requestFingerprint } from './request-fingerprint';

const file = Buffer.from('email\na@example.com\n');

describe('requestFingerprint', () => {
  it('is the same for the same file and options, however they were spelled', () => {
    const a = requestFingerprint(file, parseImportForm({ skipDuplicates: 'yes', mapping: '{"a":"email","b":"skip"}' }));
    const b = requestFingerprint(
      file,
      parseImportForm({ skipDuplicates: 'true', mapping: ' { "b": "skip", "a": "email" } ' }),
    );
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs for another file, other options or another Prefer header', () => {
    const base = requestFingerprint(file, parseImportForm({}));
    expect(requestFingerprint(Buffer.from('email\nb@example.com\n'), parseImportForm({}))).not.toBe(base);
    expect(requestFingerprint(file, parseImportForm({ skipDuplicates: 'false' }))).not.toBe(base);
    expect(requestFingerprint(file, parseImportForm({ tag: 'x' }))).not.toBe(base);
    expect(requestFingerprint(file, parseImportForm({}), 'respond-async')).not.toBe(base);
  });

  it('keeps a mapping that is not JSON as text', () => {
    expect(requestFingerprint(file, parseImportForm({ mapping: '{bad' }))).not.toBe(
      requestFingerprint(file, parseImportForm({ mapping: '{bad ' })),
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves arrays in order', () => {
    expect(canonicalJson({ b: [2, 1], a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":[2,1]}');
  });
});
