/**
 * The rules a webhook URL must follow: its form (checked with the other form fields), and where its host points
 * (checked by resolving it when the import is asked for, and again at every attempt, so that a host that later
 * resolves to an internal address is refused then too).
 */
import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ValidationError } from '../common/app-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { classifyAddress } from './address-ranges';

export const WEBHOOK_URL_MAX_LENGTH = 2_048;
const RESOLVE_TIMEOUT_MS = 5_000;

export const ALLOWED_TARGETS =
  'Webhooks go only to http(s) URLs whose host is a public address (not private, loopback, link-local, ' +
  'unique-local, multicast or unspecified).';

/** A webhook URL's form: http(s), at most 2,048 characters, a host, no user name or password. Returns it normalised. */
export function parseWebhookUrl(text: string): string {
  const value = text.trim();
  if (value.length > WEBHOOK_URL_MAX_LENGTH) {
    throw new ValidationError(
      `webhookUrl must be at most ${WEBHOOK_URL_MAX_LENGTH.toLocaleString('en-US')} characters.`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(
      `webhookUrl must be an absolute http(s) URL such as https://hooks.example.com/leadport (got "${value.slice(0, 100)}").`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(
      `webhookUrl must start with https:// or http:// (got "${url.protocol}"). ${ALLOWED_TARGETS}`,
    );
  }
  if (!url.hostname) throw new ValidationError('webhookUrl needs a host, e.g. https://hooks.example.com/leadport.');
  if (url.username || url.password) {
    throw new ValidationError(
      'webhookUrl must not contain a user name or password: check the X-Leadport-Signature header instead ' +
        '(or put a token in the path).',
    );
  }
  url.hash = '';
  return url.href;
}

/** A host that may not receive webhooks; not worth retrying. */
export class WebhookTargetRefused extends Error {}

/** Resolves webhook hosts and refuses those that point inside a network, unless WEBHOOK_ALLOW_PRIVATE is on. */
@Injectable()
export class WebhookTargets {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** At request time: @throws ValidationError (400) for a host that is not public or does not resolve. */
  async assertAllowed(webhookUrl: string | undefined): Promise<void> {
    if (webhookUrl === undefined || this.config.webhooks.allowPrivate) return;
    const host = hostOf(webhookUrl);
    let addresses: string[];
    try {
      addresses = await this.resolve(host);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) throw new ValidationError(`${error.message} ${ALLOWED_TARGETS}`);
      throw new ValidationError(
        `webhookUrl's host "${host}" could not be resolved (${(error as { code?: string }).code ?? 'no answer'}). ` +
          'Check the host name.',
      );
    }
    if (addresses.length === 0) throw new ValidationError(`webhookUrl's host "${host}" has no address.`);
  }

  /**
   * The addresses of `host` (an IP, or a name resolved through the system resolver, as a connection would),
   * @throws WebhookTargetRefused if any of them is not public (unless private targets are allowed).
   */
  async resolve(host: string): Promise<string[]> {
    const addresses = isIP(host)
      ? [host]
      : (await withTimeout(lookup(host, { all: true, verbatim: true }), RESOLVE_TIMEOUT_MS)).map((a) => a.address);
    if (this.config.webhooks.allowPrivate) return addresses;
    for (const address of addresses) {
      const verdict = classifyAddress(address);
      if (!verdict.public) {
        const where = address === host ? '' : ` (its host "${host}" resolves to it)`;
        const article = /^([aeio]|un(?!i))/.test(verdict.kind) ? 'an' : 'a';
        throw new WebhookTargetRefused(`webhookUrl points to ${address}${where}, ${article} ${verdict.kind} address.`);
      }
    }
    return addresses;
  }
}

/** The URL's host as a resolver or socket takes it: IPv6 without its brackets. */
export function hostOf(webhookUrl: string): string {
  return new URL(webhookUrl).hostname.replace(/^\[(.*)\]$/, '$1');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('DNS timeout'), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
