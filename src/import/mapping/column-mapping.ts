/** Reading a row through the column mapping: which cells are lead fields and which are custom fields. */
import type { RawLead } from '../normalize/normalizer';
import type { ColumnMapping } from './mapping-detector';

export type { ColumnMapping, ColumnTarget } from './mapping-detector';

export const CUSTOM_PREFIX = 'custom:';

/** Splits a row's values into lead fields and custom fields by the column mapping. */
export function toRawLead(values: readonly string[], columns: Pick<ColumnMapping, 'targets'>): RawLead {
  const fields: RawLead['fields'] = {};
  const custom: Array<[string, string]> = [];
  columns.targets.forEach((target, index) => {
    const value = values[index] ?? '';
    if (target === 'skip') return;
    if (target.startsWith(CUSTOM_PREFIX)) custom.push([target.slice(CUSTOM_PREFIX.length), value]);
    else fields[target as keyof RawLead['fields']] = value;
  });
  return { fields, custom };
}
