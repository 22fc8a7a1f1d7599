/** What the head of a file tells the import before its rows are read: the phone region, the custom fields to come. */
import type { CountryCode } from 'libphonenumber-js';
import type { CsvFile } from './csv/csv-reader';
import type { ImportFormValues } from './dto/import-csv.form';
import { ColumnMapping, CUSTOM_PREFIX } from './mapping/column-mapping';
import { dominantRegion } from './normalize/phone';

/**
 * The region for phones in rows without a country: the `defaultCountry` field, else the country at least 80% of the
 * first rows name.
 */
export function phoneRegion(form: ImportFormValues, file: CsvFile, columns: ColumnMapping): CountryCode | undefined {
  if (form.defaultCountry) return form.defaultCountry as CountryCode;
  const country = columns.targets.indexOf('country');
  return country < 0 ? undefined : dominantRegion(file.firstRows.map((row) => row.values[country]));
}

/**
 * The custom fields the file may add, for the workspace's cap: its custom columns, but for blank-headed ones without a
 * value in the first rows (they are named `Column N` only if some row fills them).
 */
export function newCustomColumns(file: CsvFile, columns: ColumnMapping): string[] {
  return columns.targets.flatMap((target, index) => {
    if (!target.startsWith(CUSTOM_PREFIX)) return [];
    const named = file.headerCells[index]?.trim() !== '';
    const filled = file.firstRows.some((row) => row.values[index].trim() !== '');
    return named || filled ? [target.slice(CUSTOM_PREFIX.length)] : [];
  });
}
