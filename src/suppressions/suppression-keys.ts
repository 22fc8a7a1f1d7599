import { createHash } from 'node:crypto';
import { cleanEmail, isValidEmail } from '../import/normalize/email';

/**
 * The stored form of an email entry: SHA-256 of its identity, the same identity the import de-duplicates on (its
 * rules live in identityOf alone), so any spelling of a suppressed address matches.
 */
export function emailHash(identity: string): string {
  return createHash('sha256').update(identity, 'utf8').digest('hex');
}

/** The identity of an email as a user writes it (`mailto:`, `<…>` and case are ignored), or undefined if invalid. */
export function suppressionIdentity(email: string): string | undefined {
  const identity = cleanEmail(email);
  return isValidEmail(identity) ? identity : undefined;
}

const DOMAIN = /^(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;

/** A domain as stored: trimmed, lower-cased, a leading `@` dropped; undefined if it is not a domain name. */
export function suppressionDomain(domain: string): string | undefined {
  const value = domain.trim().toLowerCase().replace(/^@/, '');
  return DOMAIN.test(value) ? value : undefined;
}
