import disposableDomains from 'disposable-email-domains';
import type { LeadFlag } from '../lead-status';
import { DOMAIN_TYPOS, FREE_MAIL_DOMAINS } from './free-mail-domains';
import { ROLE_LOCAL_PARTS } from './role-local-parts';

/** From the maintained npm list: a dependency bump updates it. */
const DISPOSABLE_DOMAINS: ReadonlySet<string> = new Set(disposableDomains);

export interface EmailQuality {
  flags: LeadFlag[];
  /** The address as probably meant, when its domain is a common typo of a mailbox provider. */
  suggestion?: string;
}

/** Flags of an email identity (already trimmed and lower-cased). */
export function emailQuality(identity: string): EmailQuality {
  const at = identity.lastIndexOf('@');
  const local = identity.slice(0, at).split('+')[0];
  const domain = identity.slice(at + 1);
  const flags: LeadFlag[] = [];
  if (ROLE_LOCAL_PARTS.has(local)) flags.push('role');
  if (DISPOSABLE_DOMAINS.has(domain)) flags.push('disposable');
  if (FREE_MAIL_DOMAINS.has(domain)) flags.push('free');
  const meant = DOMAIN_TYPOS.get(domain);
  return meant ? { flags, suggestion: `${identity.slice(0, at)}@${meant}` } : { flags };
}

/** The domain part of an email identity. */
export function domainOf(identity: string): string {
  return identity.slice(identity.lastIndexOf('@') + 1);
}
