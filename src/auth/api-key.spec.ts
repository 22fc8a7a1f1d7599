import { AppError } from '../common/app-error';
import {
  claimedKind,
  displayPrefix,
  extractApiKey,
  generateApiKey,
  hashApiKey,
  isWellFormedKey,
  sameHash,
} from './api-key';

describe('API keys', () => {
  it('generates distinct, well-formed keys of each kind', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey('workspace')));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key).toMatch(/^sk_[A-Za-z0-9]{32}$/);
    expect(generateApiKey('platform')).toMatch(/^sk_user_[A-Za-z0-9]{32}$/);
  });

  it('hashes with SHA-256 and compares hashes', () => {
    expect(hashApiKey('sk_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('sk_abc')).not.toBe(hashApiKey('sk_abd'));
    expect(sameHash(hashApiKey('sk_abc'), hashApiKey('sk_abc'))).toBe(true);
    expect(sameHash(hashApiKey('sk_abc'), hashApiKey('sk_abd'))).toBe(false);
    expect(sameHash('ab', hashApiKey('sk_abc'))).toBe(false);
  });

  it('shows a prefix of the kind and 8 characters, and reads the claimed kind', () => {
    expect(displayPrefix('sk_ABCDEFGHijkl')).toBe('sk_ABCDEFGH');
    expect(displayPrefix('sk_user_ABCDEFGHijkl')).toBe('sk_user_ABCDEFGH');
    expect(claimedKind('sk_user_x')).toBe('platform');
    expect(claimedKind('sk_x')).toBe('workspace');
    expect(isWellFormedKey('sk_' + 'a'.repeat(16))).toBe(true);
    expect(isWellFormedKey('pk_' + 'a'.repeat(16))).toBe(false);
    expect(isWellFormedKey('sk_short')).toBe(false);
  });

  describe('extractApiKey', () => {
    const key = 'sk_' + 'k'.repeat(32);
    const fail = (headers: Record<string, string | string[]>, query: Record<string, unknown> = {}) => {
      try {
        extractApiKey(headers, query);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return (error as AppError).message;
      }
      throw new Error('expected a failure');
    };

    it('reads X-Api-Key or a Bearer token, trimmed, and accepts both when equal', () => {
      expect(extractApiKey({ 'x-api-key': ` ${key} ` }, {})).toBe(key);
      expect(extractApiKey({ authorization: `Bearer ${key}` }, {})).toBe(key);
      expect(extractApiKey({ authorization: `bearer   ${key}` }, {})).toBe(key);
      expect(extractApiKey({ 'x-api-key': key, authorization: `Bearer ${key}` }, {})).toBe(key);
    });

    it('refuses missing keys, other schemes, different keys, repeated headers and keys in the URL', () => {
      expect(fail({})).toContain('Missing API key');
      expect(fail({ authorization: `Basic ${key}` })).toContain('Bearer <API key>');
      expect(fail({ 'x-api-key': key, authorization: 'Bearer sk_other' })).toContain('different keys');
      expect(fail({ 'x-api-key': [key, key] })).toContain('only once');
      expect(fail({ 'x-api-key': `${key}, ${key}` })).toContain('only once');
      expect(fail({ authorization: [`Bearer ${key}`, `Bearer ${key}`] })).toContain('only once');
      expect(fail({ 'x-api-key': key }, { api_key: key })).toContain('URL');
      expect(fail({ 'x-api-key': key }, { anything: [' sk_abc'] })).toContain('URL');
    });
  });
});
