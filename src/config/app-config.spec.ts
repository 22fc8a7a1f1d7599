import { loadConfig, parseDatabaseUrl } from './app-config';

describe('loadConfig', () => {
  it('defaults to SQLite in ./data, port 3000 and the import limits of the spec', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ type: 'sqlite', path: './data/leadport.sqlite' });
    expect(config.port).toBe(3000);
    expect(config.env).toBe('development');
    expect(config.import).toMatchObject({
      maxFileBytes: 52_428_800,
      maxRows: 50_000,
      batchSize: 1000,
      batchConcurrency: 3,
      maxConcurrentPerKey: 1,
      uploadIdleTimeoutMs: 15_000,
      uploadDeadlineMs: 120_000,
    });
    expect(config.maxCustomFields).toBe(500);
  });

  it('names a bad upload or custom field variable', () => {
    expect(() => loadConfig({ UPLOAD_IDLE_TIMEOUT_MS: '5' })).toThrow('UPLOAD_IDLE_TIMEOUT_MS must be an integer');
    expect(() => loadConfig({ MAX_CUSTOM_FIELDS: '0' })).toThrow('MAX_CUSTOM_FIELDS must be a positive integer');
    expect(loadConfig({ IMPORT_MAX_CONCURRENT_PER_KEY: '3' }).import.maxConcurrentPerKey).toBe(3);
  });

  it('has metrics off unless METRICS_ENABLED, and checks METRICS_TOKEN', () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: false, token: undefined });
    const token = 'a'.repeat(32);
    expect(loadConfig({ METRICS_ENABLED: 'yes', METRICS_TOKEN: token }).metrics).toEqual({ enabled: true, token });
    expect(() => loadConfig({ METRICS_ENABLED: 'on' })).toThrow('METRICS_ENABLED must be true or false');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN must be 16 to 256');
  });

  it('reads DATABASE_URL for SQLite files and MySQL', () => {
    expect(parseDatabaseUrl('sqlite:/tmp/x.sqlite')).toEqual({ type: 'sqlite', path: '/tmp/x.sqlite' });
    expect(parseDatabaseUrl('mysql://u:p@h:3306/db')).toEqual({ type: 'mysql', url: 'mysql://u:p@h:3306/db' });
    expect(loadConfig({ DATABASE_URL: 'mysql://root@db/leadport', PORT: '8080' })).toMatchObject({
      port: 8080,
      database: { type: 'mysql' },
    });
  });

  it('reads REDIS_URL (unset: no Redis) with a key prefix, and explains a malformed one', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://:secret@cache:6380/2' }).redis).toEqual({
      url: 'redis://:secret@cache:6380/2',
      keyPrefix: 'leadport',
    });
    expect(loadConfig({ REDIS_URL: 'rediss://[::1]', REDIS_KEY_PREFIX: 'staging' }).redis).toEqual({
      url: 'rediss://[::1]',
      keyPrefix: 'staging',
    });
    for (const url of ['localhost:6379', 'http://cache:6379', 'redis://', 'redis://cache:6379/db', 'redis://a b']) {
      expect(() => loadConfig({ REDIS_URL: url })).toThrow(
        'REDIS_URL must be "redis://[[user]:password@]host[:port][/db]" (rediss:// for TLS), e.g. redis://127.0.0.1:6379/0',
      );
    }
    expect(() => loadConfig({ REDIS_URL: 'redis://cache', REDIS_KEY_PREFIX: 'a b' })).toThrow(
      /REDIS_KEY_PREFIX must be/,
    );
    expect(loadConfig({}).import.slotLeaseMs).toBe(30_000);
    expect(() => loadConfig({ IMPORT_SLOT_LEASE_MS: '10' })).toThrow(/IMPORT_SLOT_LEASE_MS must be an integer/);
  });

  it('stops with a message naming every bad variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x', PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(
      /DATABASE_URL must be[\s\S]*PORT must be[\s\S]*LOG_LEVEL must be/,
    );
    expect(() => loadConfig({ BOOTSTRAP_API_KEY: 'sk_user_abcdefghijklmnopqrstuvwxyz' })).toThrow(/BOOTSTRAP_API_KEY/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ IMPORT_MAX_CONCURRENT: '0' })).toThrow(/IMPORT_MAX_CONCURRENT/);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-5' })).toThrow(/HEAP_GROWING_PERCENT must be an integer/);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(/HEAP_GROWING_PERCENT must be an integer/);
  });

  it('names a bad variable once, whichever of its checks fail', () => {
    expect(() => loadConfig({ PORT: 'eighty', HEAP_GROWING_PERCENT: 'lots' })).toThrow(
      'Invalid configuration:\n- PORT must be an integer between 0 and 65535\n' +
        '- HEAP_GROWING_PERCENT must be an integer from 0 to 300',
    );
  });

  it('keeps the heap within 1.5× its live data unless HEAP_GROWING_PERCENT says otherwise (0: V8 decides)', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(50);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '100' }).heapGrowingPercent).toBe(100);
  });

  it('listens on loopback unless HOST names another address or host name', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ HOST: 'api.internal.example' }).host).toBe('api.internal.example');
    for (const bad of ['http://0.0.0.0', '0.0.0.0:3000', 'two words', '-leading-dash']) {
      expect(() => loadConfig({ HOST: bad })).toThrow('Invalid configuration:\n- HOST must be an IP address');
    }
  });

  it('serves the API docs unless DOCS_ENABLED says no', () => {
    expect(loadConfig({}).docsEnabled).toBe(true);
    for (const on of ['true', '1', 'yes']) expect(loadConfig({ DOCS_ENABLED: on }).docsEnabled).toBe(true);
    for (const off of ['false', '0', 'no']) expect(loadConfig({ DOCS_ENABLED: off }).docsEnabled).toBe(false);
    expect(() => loadConfig({ DOCS_ENABLED: 'off' })).toThrow(/DOCS_ENABLED must be true or false/);
  });

  it('gives an async import to another replica after IMPORT_JOB_LOCK_MS without its lock renewed', () => {
    expect(loadConfig({}).queue).toEqual({ lockMs: 30_000 });
    expect(loadConfig({ IMPORT_JOB_LOCK_MS: '5000' }).queue).toEqual({ lockMs: 5000 });
    expect(() => loadConfig({ IMPORT_JOB_LOCK_MS: '10' })).toThrow(/IMPORT_JOB_LOCK_MS must be an integer/);
  });
});
