import { ValidationError } from '../../common/app-error';
import { parseImportForm } from './import-csv.form';

describe('parseImportForm: encoding and defaultCountry', () => {
  it('leaves both out by default', () => {
    expect(parseImportForm({})).toMatchObject({ encoding: undefined, defaultCountry: undefined });
    expect(parseImportForm({ encoding: ' ', defaultCountry: '' })).toMatchObject({
      encoding: undefined,
      defaultCountry: undefined,
    });
  });

  it('takes any label iconv-lite knows, lower-cased', () => {
    for (const [given, label] of [
      ['windows-1251', 'windows-1251'],
      [' Shift_JIS ', 'shift_jis'],
      ['CP850', 'cp850'],
      ['latin1', 'latin1'],
    ]) {
      expect(parseImportForm({ encoding: given }).encoding).toBe(label);
    }
  });

  it('takes an ISO 3166-1 alpha-2 code in any case', () => {
    expect(parseImportForm({ defaultCountry: 'de' }).defaultCountry).toBe('DE');
    expect(parseImportForm({ defaultCountry: ' US ' }).defaultCountry).toBe('US');
  });

  it.each([
    [{ encoding: 'klingon' }, /^encoding "klingon" is not a known encoding/],
    [{ defaultCountry: 'Germany' }, /^defaultCountry must be an ISO 3166-1 alpha-2 country code/],
    [{ defaultCountry: 'UK' }, /^defaultCountry must be/],
    [{ defaultCountry: 'DEU' }, /^defaultCountry must be/],
    [{ encoding: ['utf-8', 'utf-8'] }, /"encoding" field only once/],
  ])('refuses %j with a 400 that names the field', (body, message) => {
    expect(() => parseImportForm(body)).toThrow(ValidationError);
    expect(() => parseImportForm(body)).toThrow(message);
  });
});
