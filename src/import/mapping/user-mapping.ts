/**
 * The caller's `mapping` form field: parsed (400s that say how to fix it) and applied to the file's headers before
 * anything is detected.
 */
import { ValidationError } from '../../common/app-error';
import { truncate } from '../../common/text';
import { CUSTOM_FIELD_NAME_MAX, customFieldKey } from '../../custom-fields/custom-field-limits';
import { LEAD_FIELDS } from '../../leads/lead-fields';
import type { AliasTarget } from './header-aliases';
import type { ColumnTarget } from './mapping-detector';
import { codePointLength } from '../../common/text';

const INVALID_MAPPING_JSON = 'Invalid mapping JSON';
const TARGET_CHOICES = `${[...LEAD_FIELDS, 'fullName'].join(', ')}, "skip" or "custom:<Name>"`;
export const CUSTOM_PREFIX = 'custom:';

const FIELD_BY_LOWER_NAME = new Map<string, AliasTarget>(
  [...LEAD_FIELDS, 'fullName' as const].map((field) => [field.toLowerCase(), field]),
);

/** Parses the multipart `mapping` field; blank means "no mapping". */
export function parseMapping(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ValidationError(INVALID_MAPPING_JSON);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ValidationError(INVALID_MAPPING_JSON);
  }
  // JSON.parse makes "__proto__" an own property; a null-prototype copy keeps it plain data.
  const mapping = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(parsed)) {
    mapping[key] = requireString(key, value);
  }
  return mapping;
}

function requireString(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  throw new ValidationError(
    `Mapping for column ${quote(key)} must be a string: a lead field (email, firstName, …), "skip" or "custom:<Name>"`,
  );
}

/** Reads one target of the user's mapping: field names and keywords are case-insensitive, custom names are kept as written. */
function parseTarget(key: string, value: unknown): ColumnTarget {
  const raw = requireString(key, value);
  const text = raw.trim();
  const lower = text.toLowerCase();
  if (lower === 'skip') return 'skip';
  if (lower.startsWith(CUSTOM_PREFIX)) {
    const name = text.slice(CUSTOM_PREFIX.length).trim();
    if (name === '') {
      throw new ValidationError(`Custom field name for column ${quote(key)} is empty; use "custom:<Name>".`);
    }
    if (codePointLength(name) > CUSTOM_FIELD_NAME_MAX) {
      throw new ValidationError(
        `Custom field name for column ${quote(key)} is longer than ${CUSTOM_FIELD_NAME_MAX} characters.`,
      );
    }
    return `custom:${name}`;
  }
  const field = FIELD_BY_LOWER_NAME.get(lower);
  if (field) return field;
  throw new ValidationError(
    `Unknown lead field ${quote(raw)} for column ${quote(key)} in mapping. Use one of: ${TARGET_CHOICES}.`,
  );
}

/**
 * Writes the user's decisions into `targets` and returns the keys that name no column. A key matches its header
 * exactly, else after trimming, else case-insensitively (when that picks out a single column).
 */
export function applyUserMapping(
  headers: string[],
  userMapping: Record<string, string>,
  targets: (ColumnTarget | undefined)[],
): string[] {
  // Validate every entry first, so a typo is reported even in a key that names no column.
  const entries = Object.entries(userMapping).map(([key, value]) => ({ key, target: parseTarget(key, value) }));
  const exact = new Map<string, number>();
  const folded = new Map<string, number[]>();
  headers.forEach((header, index) => {
    exact.set(header, index);
    const key = foldCase(header);
    const same = folded.get(key);
    if (same) same.push(index);
    else folded.set(key, [index]);
  });

  const unused: string[] = [];
  const keyOfColumn = new Map<number, string>();
  const columnOfTarget = new Map<string, number>();
  for (const { key, target } of entries) {
    const index = resolveColumn(key, exact, folded, headers);
    if (index === undefined) {
      unused.push(key);
      continue;
    }
    const earlierKey = keyOfColumn.get(index);
    if (earlierKey !== undefined) {
      if (targets[index] === target) continue;
      throw new ValidationError(
        `Mapping names column ${quote(headers[index])} twice (${quote(earlierKey)} and ${quote(key)}) with different targets; name each column once.`,
      );
    }
    keyOfColumn.set(index, key);
    targets[index] = target;

    if (target === 'skip') continue;
    // The custom-field store matches names case-insensitively, so "custom:Sector" and "custom:sector" are one field.
    const slot = target.startsWith(CUSTOM_PREFIX)
      ? CUSTOM_PREFIX + customFieldKey(target.slice(CUSTOM_PREFIX.length))
      : target;
    const other = columnOfTarget.get(slot);
    if (other !== undefined) {
      const kind = target.startsWith(CUSTOM_PREFIX) ? 'custom field' : 'field';
      throw new ValidationError(
        `Columns ${quote(headers[other])} and ${quote(headers[index])} are both mapped to ${quote(target)} in mapping; only one column may be mapped to each ${kind}.`,
      );
    }
    columnOfTarget.set(slot, index);
  }
  return unused;
}

function resolveColumn(
  key: string,
  exact: Map<string, number>,
  folded: Map<string, number[]>,
  headers: string[],
): number | undefined {
  const direct = exact.get(key) ?? exact.get(key.trim());
  if (direct !== undefined) return direct;
  const candidates = folded.get(foldCase(key.trim()));
  if (!candidates) return undefined;
  if (candidates.length > 1) {
    const names = candidates.map((index) => quote(headers[index])).join(', ');
    throw new ValidationError(`Mapping key ${quote(key)} matches several columns (${names}); use the exact header.`);
  }
  return candidates[0];
}

function foldCase(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** Quotes user input in a message, cut short so a 10,000-character header cannot flood the response. */
export function quote(text: string): string {
  return `"${truncate(text, 100, '…')}"`;
}
