import { Injectable } from '@nestjs/common';
import { ValidationError } from '../../common/app-error';
import { truncate } from '../../common/text';
import { CUSTOM_FIELD_NAME_MAX, customFieldKey } from '../../custom-fields/custom-field-limits';
import { LeadField } from '../../leads/lead-fields';
import type { CsvRow } from '../csv/column-layout';
import { AliasTarget, HeaderMatch, matchHeader } from './header-aliases';
import { cleanEmail, identityOf, isValidEmail } from '../normalize/email';
import { isPlaceholder } from '../normalize/placeholders';
import { applyUserMapping, CUSTOM_PREFIX, parseMapping } from './user-mapping';

/** What one CSV column becomes: a lead field, a full name to split, nothing, or a custom field. */
export type ColumnTarget = LeadField | 'fullName' | 'skip' | `custom:${string}`;

export interface ColumnMapping {
  /** One per header, by column index. */
  targets: ColumnTarget[];
  /** Header → final decision for every column, in column order (null-prototype); `csvInfo.mapping` in the response. */
  mapping: Record<string, ColumnTarget>;
  /** Keys of the user's mapping that name no column. */
  unusedMapping: string[];
  /** Why every column became what it did, in column order. */
  details: ColumnDecision[];
}

/** The file's records, of which only the values are read (a sample of a column's). */
type FileRows = ReadonlyArray<Pick<CsvRow, 'values'>>;

const NO_EMAIL_COLUMN = 'No email column detected. Provide a "mapping" field or ensure your CSV has an "email" column.';

/**
 * Decides what every CSV column becomes: the user's `mapping` first, then header aliases, then the values (an email
 * column under an unknown header), then custom fields. Pure logic, run once per file; says why for every column.
 */
@Injectable()
export class MappingDetector {
  /** Parses the multipart `mapping` field; blank means "no mapping". */
  parseMapping(raw: string | undefined): Record<string, string> | undefined {
    return parseMapping(raw);
  }

  /**
   * `rows` (a sample of the file's records: the first rows, or each column's first values) let columns be chosen by
   * their data: a filled column before an empty one, a generic header such as "URL" checked against its values, an
   * email column with one address in every row passed over, an email column found by its values. Without them
   * headers are taken at their word.
   */
  detect(headers: string[], userMapping?: Record<string, string>, rows?: FileRows): ColumnMapping {
    const { complete, reasons, unusedMapping } = chooseTargets(headers, userMapping, rows);
    if (!complete.includes('email')) throw new ValidationError(NO_EMAIL_COLUMN);

    const mapping = Object.create(null) as Record<string, ColumnTarget>;
    headers.forEach((header, index) => (mapping[header] = complete[index]));
    const details = headers.map((column, index): ColumnDecision => {
      const reason = reasons[index] ?? { source: complete[index] === 'skip' ? 'skip' : 'custom' };
      return { column, target: complete[index], ...reason };
    });
    return { targets: complete, mapping, unusedMapping, details };
  }

  /** The column a lead import without a mapping would read emails from, found the same way; -1 when there is none. */
  emailColumn(headers: string[], rows?: FileRows): number {
    return chooseTargets(headers, undefined, rows).complete.indexOf('email');
  }
}

/** Every column's target and the reason for it: the user's mapping, then header aliases, then values. */
function chooseTargets(headers: string[], userMapping: Record<string, string> | undefined, rows: FileRows | undefined) {
  const targets: (ColumnTarget | undefined)[] = headers.map(() => undefined);
  const reasons: Array<ColumnReason | undefined> = headers.map(() => undefined);
  const unusedMapping = userMapping ? applyUserMapping(headers, userMapping, targets) : [];
  targets.forEach((target, index) => {
    if (target !== undefined) reasons[index] = { source: target === 'skip' ? 'skip' : 'mapping' };
  });
  autoDetect(headers, targets, rows, reasons);
  if (!targets.includes('email') && rows) detectEmailByContent(targets, rows, reasons);
  return { complete: nameCustomColumns(headers, targets), reasons, unusedMapping };
}

/** Why a column became what it did: `csvInfo.mappingDetails` in the response. */
export interface ColumnDecision {
  column: string;
  target: ColumnTarget;
  /** Your `mapping`, a header alias, the column's values, an unknown header (custom field), or skipped. */
  source: 'mapping' | 'alias' | 'content' | 'custom' | 'skip';
  /** For auto-detected columns, the evidence in one short phrase. */
  evidence?: string;
}

type ColumnReason = Omit<ColumnDecision, 'column' | 'target'>;

/** Share of a column's sampled values that must be emails for an unknown header to be the email column. */
const EMAIL_CONTENT_SHARE = 0.8;

/** With no email column by name: the left-most unclaimed column whose sampled values are (mostly) emails. */
function detectEmailByContent(
  targets: Array<ColumnTarget | undefined>,
  rows: FileRows,
  reasons: Array<ColumnReason | undefined>,
): void {
  for (let column = 0; column < targets.length; column++) {
    if (targets[column] !== undefined) continue;
    const sample = rows
      .map((row) => row.values[column]?.trim() ?? '')
      .filter((value) => value !== '')
      .slice(0, VALUE_SAMPLE);
    const emails = sample.filter((value) => isValidEmail(identityOf(cleanEmail(value)))).length;
    if (emails > 0 && emails >= sample.length * EMAIL_CONTENT_SHARE) {
      targets[column] = 'email';
      reasons[column] = { source: 'content', evidence: `${emails} of ${sample.length} sampled values are emails` };
      return;
    }
  }
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
function autoDetect(
  headers: string[],
  targets: (ColumnTarget | undefined)[],
  rows: FileRows | undefined,
  reasons: Array<ColumnReason | undefined>,
): void {
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
    const checked = best.match.valuesMustPass && rows ? ', values checked' : '';
    reasons[best.index] = {
      source: 'alias',
      evidence: `header alias '${truncate(headers[best.index], 100, '…')}'${checked}`,
    };
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
    if (target?.startsWith(CUSTOM_PREFIX)) usedNames.add(customFieldKey(target.slice(CUSTOM_PREFIX.length)));
  }
  return targets.map((target, index): ColumnTarget => {
    if (target !== undefined) return target;
    const header = headers[index].trim();
    if (header === '') return 'skip';
    let name = truncate(header, CUSTOM_FIELD_NAME_MAX);
    for (let copy = 2; usedNames.has(customFieldKey(name)); copy++) {
      const suffix = ` (${copy})`;
      name = truncate(header, CUSTOM_FIELD_NAME_MAX - suffix.length) + suffix;
    }
    usedNames.add(customFieldKey(name));
    return `custom:${name}`;
  });
}
