import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCode } from '../common/app-error';
import type { ApiKeyKind } from './api-key.entity';

const WORKSPACE_PREFIX = 'sk_';
const PLATFORM_PREFIX = 'sk_user_';
const KEY_PATTERN = /^sk_[A-Za-z0-9_]{16,128}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new random key: 32 base62 characters (~190 bits) after the kind's prefix. */
export function generateApiKey(kind: ApiKeyKind): string {
  const bytes = randomBytes(48);
  let body = '';
  for (const byte of bytes) {
    if (byte < 248) body += ALPHABET[byte % 62]; // 248 = 4 × 62: keeps the draw unbiased
    if (body.length === 32) break;
  }
  while (body.length < 32) body += ALPHABET[randomBytes(1)[0] % 62];
  return (kind === 'platform' ? PLATFORM_PREFIX : WORKSPACE_PREFIX) + body;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The part of a key shown in listings: the kind's prefix and 8 more characters. */
export function displayPrefix(key: string): string {
  const kindPrefix = key.startsWith(PLATFORM_PREFIX) ? PLATFORM_PREFIX : WORKSPACE_PREFIX;
  return key.slice(0, kindPrefix.length + 8);
}

/** The kind a key's text claims; the stored record decides, this only has to agree. */
export function claimedKind(key: string): ApiKeyKind {
  return key.startsWith(PLATFORM_PREFIX) ? 'platform' : 'workspace';
}

export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

type HeaderValue = string | string[] | undefined;

const unauthorized = (message: string) => new AppError(ErrorCode.UNAUTHORIZED, message);

/**
 * Reads the key from `X-Api-Key` or `Authorization: Bearer`. Both may be sent only if they agree;
 * a key in the query string is refused because URLs end up in logs and browser history.
 */
export function extractApiKey(headers: Record<string, HeaderValue>, query: Record<string, unknown>): string {
  if (Object.values(query).some(looksLikeKey)) {
    throw unauthorized('API keys are not accepted in the URL. Send the key in the X-Api-Key header instead.');
  }
  const fromHeader = single(headers['x-api-key'], 'X-Api-Key');
  const fromBearer = bearerToken(single(headers['authorization'], 'Authorization'));
  if (fromHeader !== undefined && fromBearer !== undefined && fromHeader !== fromBearer) {
    throw unauthorized('X-Api-Key and Authorization carry different keys. Send one key, in one of the two headers.');
  }
  const key = fromHeader ?? fromBearer;
  if (!key) {
    throw unauthorized('Missing API key. Send it as "X-Api-Key: <key>" or "Authorization: Bearer <key>".');
  }
  return key;
}

function single(value: HeaderValue, name: string): string | undefined {
  // Node joins repeated custom headers with ", " (keys never hold a comma); `headersDistinct` gives arrays.
  if (Array.isArray(value) ? value.length > 1 : value?.includes(',')) {
    throw unauthorized(`Send the ${name} header only once, with one key.`);
  }
  const trimmed = (Array.isArray(value) ? value[0] : value)?.trim();
  return trimmed ? trimmed : undefined;
}

function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) throw unauthorized('The Authorization header must read "Bearer <API key>".');
  return match[1];
}

function looksLikeKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(looksLikeKey);
  return typeof value === 'string' && value.trim().startsWith(WORKSPACE_PREFIX);
}
