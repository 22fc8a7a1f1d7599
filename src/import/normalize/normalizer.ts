import type { CountryCode } from 'libphonenumber-js';
import { Injectable } from '@nestjs/common';
import { LEAD_FIELDS, type LeadField, type LeadFieldValues } from '../../leads/lead-fields';
import { formatCountry } from './countries';
import { cleanEmail, EMAIL_MAX_LENGTH, identityOf, isValidEmail } from './email';
import { normalizeLinkedinUrl } from './linkedin';
import { cleanName, splitFullName, withoutEmails } from './names';
import { MIN_PHONE_DIGITS, normalizePhone, phoneDigitCount, phoneRegionOf } from './phone';
import { isPlaceholder, removeProtectionApostrophe } from './placeholders';
import { cleanNotes, cleanText } from './text';
import { codePointLength, formatCount, truncate } from '../../common/text';
import { canonicalTimezone } from './timezone';
import { normalizeWebsite } from './website';

/** One mapped CSV row, before any cleanup. */
export interface RawLead {
  /**
   * Cells of the columns mapped to lead fields. `fullName` is a full-name column, split into `firstName` and
   * `lastName` when those are missing; it never reaches the output.
   */
  fields: Partial<Record<LeadField | 'fullName', string>>;
  /** Custom-field cells in column order. Names are plain data (`__proto__` is just a name). */
  custom: ReadonlyArray<readonly [name: string, value: string]>;
}

/** A row to store: its de-duplication identity, its standard fields (no empty values) and its custom fields. */
export interface AcceptedLead {
  ok: true;
  identity: string;
  fields: LeadFieldValues;
  custom: Array<[name: string, value: string]>;
}

/** A row that fails: the email as written (trimmed; '' when missing) and a message for the import report. */
export interface RejectedLead {
  ok: false;
  email: string;
  error: string;
}

export type NormalizedLead = AcceptedLead | RejectedLead;

/** What a whole import knows beyond one row. */
export interface NormalizeOptions {
  /**
   * Region for phones in rows without a recognised country (the `defaultCountry` field, or the country most of the
   * file names: `dominantRegion`). Used with cleanup on only.
   */
  defaultRegion?: CountryCode;
}

/** A valid email: its identity, the value to store, and the value to name in a row error. */
export interface IdentifiedEmail {
  ok: true;
  identity: string;
  email: string;
  reportedEmail: string;
}

export const EMAIL_REQUIRED = 'Email is required';
export const INVALID_EMAIL = 'Invalid email format';

/** Longest value stored per field, in Unicode code points, checked after cleanup whether cleanup is on or off. */
export const FIELD_MAX_LENGTH: Readonly<Record<LeadField, number>> = {
  email: EMAIL_MAX_LENGTH,
  firstName: 500,
  lastName: 500,
  companyName: 500,
  jobTitle: 500,
  phone: 500,
  linkedinUrl: 500,
  website: 500,
  city: 500,
  state: 500,
  country: 500,
  timezone: 500,
  notes: 1_000_000,
};
export const CUSTOM_VALUE_MAX_LENGTH = 1_000_000;
/**
 * A cell this many times over its field's limit is reported too long without cleaning it first: cleanup only
 * removes whitespace, invisible characters and stray symbols, and cleaning megabytes of them (name cleanup costs
 * about 0.5 s per MB) is not worth it for a value that would almost surely stay too long.
 */
const UNCLEANED_LIMIT_FACTOR = 20;

/** The cell when it has something besides whitespace in it; blank cells count as absent. */
function present(cell: string | undefined): string | undefined {
  return typeof cell === 'string' && cell.trim() !== '' ? cell : undefined;
}

/**
 * With cleanup on, the cell's value: present, without a spreadsheet's protection apostrophe, and not a placeholder
 * (`N/A`, `null`, `-`…), which stands for no value.
 */
function meaningful(cell: string | undefined): string | undefined {
  const given = present(cell);
  if (given === undefined) return undefined;
  const value = removeProtectionApostrophe(given);
  return isPlaceholder(value) ? undefined : value;
}

/** With cleanup on, a name cell: meaningful and without email addresses (an address is not a name). */
function nameCell(cell: string | undefined): string | undefined {
  const value = meaningful(cell);
  return value === undefined ? undefined : present(withoutEmails(value));
}

function tooLongMessage(label: string, length: number, max: number): string {
  return `${label} is too long (${formatCount(length)} characters; the limit is ${formatCount(max)})`;
}

/** The "too long" message, or undefined when the value fits. */
function lengthError(label: string, value: string, max: number): string | undefined {
  if (value.length <= max) return undefined;
  const length = codePointLength(value);
  return length <= max ? undefined : tooLongMessage(label, length, max);
}

/**
 * Turns one mapped CSV row into the values to store, or a row error. Pure: no database, no I/O, never throws.
 *
 * With cleanup on, every field is cleaned by its own rule (see `normalize/`); with cleanup off, values are stored
 * exactly as given, except that blank cells are dropped, a full name is still split, and the email must still be
 * valid once trimmed and lower-cased. Length limits apply either way.
 */
@Injectable()
export class Normalizer {
  /**
   * The email part of `normalize` alone: the row's de-duplication identity, or its email error. Cheap, so an
   * import can decide which rows to skip before it cleans the rest of them.
   */
  identify(emailCell: string | undefined, cleanup: boolean): IdentifiedEmail | RejectedLead {
    const given = present(emailCell);
    if (given === undefined) return { ok: false, email: '', error: EMAIL_REQUIRED };
    const email = cleanup ? cleanEmail(given) : given;
    const identity = identityOf(email);
    if (!isValidEmail(identity)) {
      return { ok: false, email: truncate(given.trim(), EMAIL_MAX_LENGTH, '…'), error: INVALID_EMAIL };
    }
    return { ok: true, identity, email, reportedEmail: cleanup ? email : given.trim() };
  }

  normalize(raw: RawLead, cleanup: boolean, options: NormalizeOptions = {}): NormalizedLead {
    const cells = raw.fields;
    // A placeholder email (`N/A`) is a missing one.
    const identified = this.identify(cleanup && isPlaceholder(cells.email ?? '') ? undefined : cells.email, cleanup);
    if (!identified.ok) return identified;
    const { identity, email, reportedEmail } = identified;

    const cell = cleanup ? meaningful : present;
    const name = cleanup ? nameCell : present;
    let firstName = name(cells.firstName);
    let lastName = name(cells.lastName);
    const fullName = name(cells.fullName);
    if (fullName !== undefined && (firstName === undefined || lastName === undefined)) {
      const split = splitFullName(cleanup ? cleanText(fullName) : fullName);
      firstName ??= split.firstName;
      lastName ??= split.lastName;
    }

    const fields: LeadFieldValues = {};
    const country = cell(cells.country);
    let cleanCountry = cleanup && country !== undefined ? formatCountry(cleanText(country)) : country;
    // Cleaning can uncover a placeholder (`\u200b-`).
    if (cleanup && cleanCountry !== undefined && isPlaceholder(cleanCountry)) cleanCountry = undefined;
    const region = cleanup ? (phoneRegionOf(cleanCountry) ?? options.defaultRegion) : undefined;
    for (const field of LEAD_FIELDS) {
      let value: string | undefined;
      if (field === 'email') value = email;
      else if (field === 'firstName') value = firstName;
      else if (field === 'lastName') value = lastName;
      else if (field === 'country') value = cleanCountry;
      else value = cell(cells[field]);
      if (value === undefined) continue;
      const max = FIELD_MAX_LENGTH[field];
      if (cleanup) {
        if (value.length > max * UNCLEANED_LIMIT_FACTOR) return this.tooLong(reportedEmail, field, value, max);
        const cleaned = this.clean(field, value, region);
        // Cleaning can uncover a placeholder (`\u200b-`).
        if (cleaned !== value && isPlaceholder(cleaned)) continue;
        value = cleaned;
      }
      if (value === '') continue;
      const tooLong = lengthError(field, value, max);
      if (tooLong !== undefined) return { ok: false, email: reportedEmail, error: tooLong };
      fields[field] = value;
    }

    const custom: Array<[string, string]> = [];
    for (const [customName, customCell] of raw.custom) {
      const given = cell(customCell);
      if (given === undefined) continue;
      const label = `custom:${customName}`;
      if (cleanup && given.length > CUSTOM_VALUE_MAX_LENGTH * UNCLEANED_LIMIT_FACTOR) {
        return this.tooLong(reportedEmail, label, given, CUSTOM_VALUE_MAX_LENGTH);
      }
      const value = cleanup ? cleanText(given) : given;
      if (value === '' || (cleanup && isPlaceholder(value))) continue;
      const tooLong = lengthError(label, value, CUSTOM_VALUE_MAX_LENGTH);
      if (tooLong !== undefined) return { ok: false, email: reportedEmail, error: tooLong };
      custom.push([customName, value]);
    }
    return { ok: true, identity, fields, custom };
  }

  private tooLong(email: string, label: string, value: string, max: number): RejectedLead {
    return { ok: false, email, error: tooLongMessage(label, codePointLength(value), max) };
  }

  private clean(field: LeadField, value: string, region: CountryCode | undefined): string {
    switch (field) {
      case 'email':
      case 'country':
        return value; // already cleaned above
      case 'firstName':
      case 'lastName':
        return cleanName(value);
      case 'phone': {
        const phone = normalizePhone(value, region);
        return phoneDigitCount(phone) < MIN_PHONE_DIGITS ? '' : phone;
      }
      case 'timezone':
        return canonicalTimezone(cleanText(value));
      case 'linkedinUrl':
        return normalizeLinkedinUrl(value);
      case 'website':
        return normalizeWebsite(value);
      case 'notes':
        return cleanNotes(value);
      default:
        return cleanText(value);
    }
  }
}
