import { Injectable } from '../../common/injectable';
import { ValidationError } from '../../common/app-error';
import { CUSTOM_FIELD_NAME_MAX } from '../../custom-fields/custom-field-limits';
import { LEAD_FIELDS, LeadField } from '../../leads/lead-fields';
import type { CsvRow } from '../csv/column-layout';
import { AliasTarget, HeaderMatch, matchHeader } from './header-aliases';
import { isPlaceholder } from '../normalize/placeholders';

/** What one CSV column becomes: a lead field, a full name to split, nothing, or a custom field. */
export type ColumnTarget = LeadField | 'fullName' | 'skip' | `custom:${string}`;

export interface ColumnMapping {
  /** One per header, by column index. */
  targets: ColumnTarget[];
  /** Header → final decision for every column, in column order (null-prototype); `csvInfo.mapping` in the response. */
  mapping: Record<string, ColumnTarget>;
  /** Keys of the user's mapping that name no column. */
  unusedMapping: string[];
}

/** The file's records, of which only the values are read (a sample of a column's). */
type FileRows = ReadonlyArray<Pick<CsvRow, 'values'>>;

const NO_EMAIL_COLUMN = 'No email column detected. Provide a "mapping" field or ensure your CSV has an "email" column.';
const INVALID_MAPPING_JSON = 'Invalid mapping JSON';
const TARGET_CHOICES = `${[...LEAD_FIELDS, 'fullName'].join(', ')}, "skip" or "custom:<Name>"`;
const CUSTOM_PREFIX = 'custom:';

const FIELD_BY_LOWER_NAME = new Map<string, AliasTarget>(
  [...LEAD_FIELDS, 'fullName' as const].map((field) => [field.toLowerCase(), field]),
);

/**
 * Decides what every CSV column becomes: the user's `mapping` first, then header aliases, then custom fields.
 * Pure logic, run once per file.
 */
@Injectable()
export class MappingDetector {
  /** Parses the multipart `mapping` field; blank means "no mapping". */
  parseMapping(raw: string | undefined): Record<string, string> | undefined {
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

  /**
   * `rows` (a sample of the file's records: the first rows, or each column's first values) let columns be chosen by
   * their data: a filled column before an empty one, a generic header such as "URL" checked against its values, an
   * email column with one address in every row passed over. Without them headers are taken at their word.
   */
  detect(headers: string[], userMapping?: Record<string, string>, rows?: FileRows): ColumnMapping {
    const targets: (ColumnTarget | undefined)[] = headers.map(() => undefined);
    const unusedMapping = userMapping ? applyUserMapping(headers, userMapping, targets) : [];
    autoDetect(headers, targets, rows);
    const complete = nameCustomColumns(headers, targets);
    if (!complete.includes('email')) throw new ValidationError(NO_EMAIL_COLUMN);

    const mapping = Object.create(null) as Record<string, ColumnTarget>;
    headers.forEach((header, index) => (mapping[header] = complete[index]));
    return { targets: complete, mapping, unusedMapping };
  }
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
function applyUserMapping(
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
      ? CUSTOM_PREFIX + customKey(target.slice(CUSTOM_PREFIX.length))
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

/** A column that could fill a field: its index, how its header matched, and whether it holds any value. */
interface Candidate {
  index: number;
  match: HeaderMatch;
  filled: boolean;
}

/**
 * Fills the columns the user left open from header aliases. Each field takes at most one column, the best match: a
 * column with values before an empty one (an empty `Work Direct Phone` never hides a filled `First Phone`), then lower
 * rank, then lower number ("E-mail 1" before "E-mail 2"), then the left-most column. Without rows every column counts
 * as filled.
 */
function autoDetect(headers: string[], targets: (ColumnTarget | undefined)[], rows: FileRows | undefined): void {
  const takenByUser = new Set<ColumnTarget | undefined>(targets);
  const candidates = new Map<AliasTarget, Candidate[]>();
  headers.forEach((header, index) => {
    if (targets[index] !== undefined) return;
    const match = matchHeader(header);
    if (!match || takenByUser.has(match.target)) return;
    if (match.valuesMustPass && rows && !mostValuesPass(rows, index, match.valuesMustPass)) return;
    const candidate = { index, match, filled: rows === undefined || hasValue(rows, index) };
    const list = candidates.get(match.target);
    if (list) list.push(candidate);
    else candidates.set(match.target, [candidate]);
  });

  const emails = candidates.get('email');
  if (emails && rows) candidates.set('email', withoutSingleAddressColumns(rows, emails));

  // A full-name column fills first and last name row by row where those are blank (see Normalizer).
  for (const [target, list] of candidates) {
    const best = list.reduce((current, candidate) => (outranks(candidate, current) ? candidate : current));
    targets[best.index] = target;
  }
}

/**
 * An email column with one address in every row holds the sender's or the record owner's (`Contact Owner`,
 * `sendUser`), not the leads'. It loses to any other email column; alone, it is still the email column (a file about
 * one lead repeated), and de-duplication handles it.
 */
function withoutSingleAddressColumns(rows: FileRows, emails: Candidate[]): Candidate[] {
  const varied = emails.filter((candidate) => !holdsOneValue(rows, candidate.index));
  return varied.some((candidate) => candidate.filled) ? varied : emails;
}

/** Whether the column holds at least two values, all the same (case and spaces aside). */
function holdsOneValue(rows: FileRows, column: number): boolean {
  let first: string | undefined;
  let count = 0;
  for (const row of rows) {
    const value = row.values[column]?.trim().toLowerCase();
    if (!value || isPlaceholder(value)) continue;
    if (first === undefined) first = value;
    else if (value !== first) return false;
    count++;
  }
  return count >= 2;
}

/** Whether any row has a value in the column; a placeholder (`N/A`, `-`) is no value. */
function hasValue(rows: FileRows, column: number): boolean {
  return rows.some((row) => {
    const value = row.values[column];
    return value !== undefined && value.trim() !== '' && !isPlaceholder(value);
  });
}

const VALUE_SAMPLE = 20;

/** Whether at least half of the column's first non-empty values pass (an empty column passes). */
function mostValuesPass(rows: FileRows, column: number, passes: (value: string) => boolean): boolean {
  let seen = 0;
  let passed = 0;
  for (let i = 0; i < rows.length && seen < VALUE_SAMPLE; i++) {
    const value = rows[i].values[column]?.trim();
    if (!value) continue;
    seen++;
    if (passes(value)) passed++;
  }
  return passed * 2 >= seen;
}

function outranks(a: Candidate, b: Candidate): boolean {
  if (a.filled !== b.filled) return a.filled;
  return a.match.rank !== b.match.rank ? a.match.rank < b.match.rank : a.match.number < b.match.number;
}

/**
 * Every column still open becomes `custom:<Header>`. A name already used by another column (the store compares
 * names case-insensitively) gets " (2)", " (3)"… as the reader does for duplicate headers, so no value overwrites
 * another; names are cut to the store's limit. A blank header has no name to give, so it is skipped.
 */
function nameCustomColumns(headers: string[], targets: (ColumnTarget | undefined)[]): ColumnTarget[] {
  const usedNames = new Set<string>();
  for (const target of targets) {
    if (target?.startsWith(CUSTOM_PREFIX)) usedNames.add(customKey(target.slice(CUSTOM_PREFIX.length)));
  }
  return targets.map((target, index): ColumnTarget => {
    if (target !== undefined) return target;
    const header = headers[index].trim();
    if (header === '') return 'skip';
    let name = cutToLength(header, CUSTOM_FIELD_NAME_MAX);
    for (let copy = 2; usedNames.has(customKey(name)); copy++) {
      const suffix = ` (${copy})`;
      name = cutToLength(header, CUSTOM_FIELD_NAME_MAX - suffix.length) + suffix;
    }
    usedNames.add(customKey(name));
    return `custom:${name}`;
  });
}

function foldCase(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

function customKey(name: string): string {
  return foldCase(name.trim());
}

/** Limits count characters (code points), as the database's varchar does, not UTF-16 units. */
function codePointLength(text: string): number {
  return text.length <= CUSTOM_FIELD_NAME_MAX ? text.length : Array.from(text).length;
}

function cutToLength(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  let count = 0;
  // for…of walks code points, so a surrogate pair is never cut in half.
  for (const char of text) {
    if (count++ === max) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/** Quotes user input in a message, cut short so a 10,000-character header cannot flood the response. */
function quote(text: string): string {
  return `"${text.length > 100 ? `${text.slice(0, 100)}…` : text}"`;
}
