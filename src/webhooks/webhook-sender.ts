/**
 * One delivery attempt: a POST to the receiver, connected only to the addresses that were checked just before (no
 * second resolution a rebinding DNS server could answer differently), with a deadline, following no redirect.
 */
import { Injectable } from '@nestjs/common';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { hostOf, WebhookTargetRefused, WebhookTargets } from './webhook-url';

export const ATTEMPT_TIMEOUT_MS = 10_000;

export interface AttemptOutcome {
  delivered: boolean;
  /** The receiver's HTTP status, when it answered. */
  statusCode: number | null;
  /** Why the attempt did not deliver, in words (never the secret or the body). */
  error: string | null;
  /** Whether another attempt could succeed: false for a receiver that may not get webhooks at all. */
  retry: boolean;
}

@Injectable()
export class WebhookSender {
  constructor(private readonly targets: WebhookTargets) {}

  /** `stop` aborts the attempt (shutdown); it is then retried like one that timed out. */
  async post(url: string, body: string, headers: Record<string, string>, stop: AbortSignal): Promise<AttemptOutcome> {
    let addresses: string[];
    try {
      addresses = await this.targets.resolve(hostOf(url));
    } catch (error) {
      if (error instanceof WebhookTargetRefused) return failure(null, `${error.message} Not sent.`, false);
      return failure(null, `The host could not be resolved (${codeOf(error)}).`, true);
    }
    try {
      const status = await send(url, body, headers, addresses, stop);
      if (status >= 200 && status < 300) return { delivered: true, statusCode: status, error: null, retry: false };
      const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
      return failure(status, `The receiver answered ${status}${redirect}.`, true);
    } catch (error) {
      if (stop.aborted) return failure(null, 'The server shut down during the attempt.', true);
      const timedOut = (error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError';
      const reason = timedOut
        ? `No answer within ${ATTEMPT_TIMEOUT_MS / 1000} s.`
        : `Connection failed (${codeOf(error)}).`;
      return failure(null, reason, true);
    }
  }
}

function failure(statusCode: number | null, error: string, retry: boolean): AttemptOutcome {
  return { delivered: false, statusCode, error, retry };
}

function codeOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? message ?? 'unknown error';
}

function send(
  url: string,
  body: string,
  headers: Record<string, string>,
  addresses: string[],
  stop: AbortSignal,
): Promise<number> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        // A fresh connection per attempt: a pooled one could outlive the address check.
        agent: false,
        lookup: pinnedLookup(addresses),
        signal: AbortSignal.any([stop, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      },
      (response) => {
        resolve(response.statusCode ?? 0);
        // Only the status matters; the receiver's body is not read.
        response.destroy();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A resolver that answers with the addresses already checked, whatever DNS would say now. */
function pinnedLookup(addresses: string[]): LookupFunction {
  const answers = addresses.map((address) => ({ address, family: isIP(address) }));
  return (_hostname, options, callback) => {
    if (options.all) callback(null, answers);
    else callback(null, answers[0].address, answers[0].family);
  };
}
