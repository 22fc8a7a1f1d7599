/**
 * What makes two import requests "the same" for an Idempotency-Key: the file's bytes and the options as the import
 * reads them (so `skipDuplicates=yes` and `true` are one option, and a mapping's JSON layout does not matter).
 */
import { createHash } from 'node:crypto';
import type { ImportFormValues } from '../dto/import-csv.form';

/** SHA-256 (hex) of the file and the canonical options. `prefer` is the Prefer header (sync or async answer). */
export function requestFingerprint(file: Buffer, form: ImportFormValues, prefer = ''): string {
  const options = { ...form, mapping: canonicalMapping(form.mapping), prefer: prefer.trim().toLowerCase() };
  return createHash('sha256')
    .update(createHash('sha256').update(file).digest('hex'))
    .update('\n')
    .update(canonicalJson(options))
    .digest('hex');
}

/** The mapping as parsed JSON, so whitespace and key order do not count; left as text when it is not JSON. */
function canonicalMapping(mapping: string | undefined): unknown {
  if (mapping === undefined || mapping.trim() === '') return null;
  try {
    return JSON.parse(mapping) as unknown;
  } catch {
    return mapping; // the import answers it with a 400, which the key then replays
  }
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
