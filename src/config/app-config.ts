import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { isIP } from 'node:net';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** An optional integer variable from `min` (to `max`); whatever is wrong with it, the message is `message`. */
function IntegerVariable(message: string, min: number, max?: number): PropertyDecorator {
  const range = max === undefined ? [] : [Max(max, { message })];
  return applyDecorators(IsOptional(), Transform(toInt), IsInt({ message }), Min(min, { message }), ...range);
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const HOST_MESSAGE =
  'HOST must be an IP address to listen on (127.0.0.1, 0.0.0.0, ::) or a host name such as localhost';
const REDIS_URL_MESSAGE =
  'REDIS_URL must be "redis://[[user]:password@]host[:port][/db]" (rediss:// for TLS), e.g. redis://127.0.0.1:6379/0';
const TRUE_WORDS = ['true', '1', 'yes'];
const BOOLEAN_WORDS = [...TRUE_WORDS, 'false', '0', 'no'];

/** Environment variables the service reads; each one is validated at start-up. */
class EnvironmentVariables {
  @IsOptional()
  @Matches(/^(sqlite:.+|mysql:\/\/.+)$/, {
    message: 'DATABASE_URL must be "sqlite:<path>" or "mysql://user:pass@host:port/db"',
  })
  DATABASE_URL?: string;

  // A host (a name, an IPv4 or a bracketed IPv6 address), an optional port and at most a database number as path.
  @IsOptional()
  @Matches(/^rediss?:\/\/(?:[^@/\s]*@)?(?:\[[0-9A-Fa-f:.]+\]|[^@/:[\]\s]+)(?::\d{1,5})?(?:\/\d{0,2})?$/, {
    message: REDIS_URL_MESSAGE,
  })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, {
    message: 'REDIS_KEY_PREFIX must be 1-64 letters, digits or . _ : - (e.g. "leadport" or "leadport-staging")',
  })
  REDIS_KEY_PREFIX?: string;

  @IntegerVariable('PORT must be an integer between 0 and 65535', 0, 65535)
  PORT?: number;

  // An address to bind to, or a host name that resolves to one (e.g. "localhost").
  @IsOptional()
  @ValidateIf((vars: EnvironmentVariables) => !isIP(vars.HOST ?? ''))
  @Matches(HOST_NAME, { message: HOST_MESSAGE })
  HOST?: string;

  @IsOptional()
  @IsIn(BOOLEAN_WORDS, { message: 'DOCS_ENABLED must be true or false (1/0 and yes/no are accepted too)' })
  DOCS_ENABLED?: string;

  @IsOptional()
  @IsIn(BOOLEAN_WORDS, { message: 'IMPORT_CLEANING_THREAD must be true or false (1/0 and yes/no are accepted too)' })
  IMPORT_CLEANING_THREAD?: string;

  @IsOptional()
  @IsIn(BOOLEAN_WORDS, { message: 'METRICS_ENABLED must be true or false (1/0 and yes/no are accepted too)' })
  METRICS_ENABLED?: string;

  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,256}$/, {
    message: 'METRICS_TOKEN must be 16 to 256 printable ASCII characters without spaces (e.g. openssl rand -hex 32)',
  })
  METRICS_TOKEN?: string;

  @IsOptional()
  @IsIn(['development', 'production', 'test'], { message: 'NODE_ENV must be development, production or test' })
  NODE_ENV?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL?: string;

  @IsOptional()
  @Matches(/^sk_(?!user_)[A-Za-z0-9_]{16,128}$/, {
    message: 'BOOTSTRAP_API_KEY must be a workspace key: "sk_" followed by 16-128 letters, digits or underscores',
  })
  BOOTSTRAP_API_KEY?: string;

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IntegerVariable('IMPORT_MAX_CONCURRENT_PER_WORKSPACE must be a positive integer', 1)
  IMPORT_MAX_CONCURRENT_PER_WORKSPACE?: number;

  @IntegerVariable('IMPORT_MAX_CONCURRENT must be a positive integer', 1)
  IMPORT_MAX_CONCURRENT?: number;

  @IntegerVariable('RATE_LIMIT_PER_MINUTE must be a positive integer', 1)
  RATE_LIMIT_PER_MINUTE?: number;

  @IntegerVariable('IMPORT_RATE_LIMIT_PER_MINUTE must be a positive integer', 1)
  IMPORT_RATE_LIMIT_PER_MINUTE?: number;

  @IntegerVariable('IMPORT_STALE_AFTER_MS must be an integer of at least 1000', 1000)
  IMPORT_STALE_AFTER_MS?: number;

  @IntegerVariable('IMPORT_UNDO_DAYS must be an integer from 0 (no undo) to 3650', 0, 3650)
  IMPORT_UNDO_DAYS?: number;

  @IntegerVariable('SHUTDOWN_TIMEOUT_MS must be a positive integer', 1)
  SHUTDOWN_TIMEOUT_MS?: number;

  @IntegerVariable('MAX_CUSTOM_FIELDS must be a positive integer', 1)
  MAX_CUSTOM_FIELDS?: number;

  @IntegerVariable('UPLOAD_IDLE_TIMEOUT_MS must be an integer of at least 100', 100)
  UPLOAD_IDLE_TIMEOUT_MS?: number;

  @IntegerVariable('UPLOAD_DEADLINE_MS must be an integer of at least 1000', 1000)
  UPLOAD_DEADLINE_MS?: number;

  @IntegerVariable('IMPORT_MAX_CONCURRENT_PER_KEY must be a positive integer', 1)
  IMPORT_MAX_CONCURRENT_PER_KEY?: number;

  @IntegerVariable('IMPORT_SLOT_LEASE_MS must be an integer of at least 1000', 1000)
  IMPORT_SLOT_LEASE_MS?: number;

  @IntegerVariable('HEAP_GROWING_PERCENT must be an integer from 0 to 300', 0, 300)
  HEAP_GROWING_PERCENT?: number;

  @IsOptional()
  @IsIn(BOOLEAN_WORDS, { message: 'WEBHOOK_ALLOW_PRIVATE must be true or false (1/0 and yes/no are accepted too)' })
  WEBHOOK_ALLOW_PRIVATE?: string;

  @IntegerVariable('WEBHOOK_RETRY_BASE_MS must be an integer of at least 10', 10)
  WEBHOOK_RETRY_BASE_MS?: number;

  @IntegerVariable('WEBHOOK_RETRY_WINDOW_MS must be an integer of at least 100', 100)
  WEBHOOK_RETRY_WINDOW_MS?: number;

  @IntegerVariable('WEBHOOK_POLL_INTERVAL_MS must be an integer of at least 10', 10)
  WEBHOOK_POLL_INTERVAL_MS?: number;

  @IntegerVariable('IMPORT_JOB_LOCK_MS must be an integer of at least 1000', 1000)
  IMPORT_JOB_LOCK_MS?: number;
}

/** Redis, shared by all replicas: rate limits and import slots (and the async import queue). */
export interface RedisConfig {
  url: string;
  /** Every key this service writes carries this prefix, so several deployments can share one Redis. */
  keyPrefix: string;
}

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string };

/** The typed configuration every module reads; built once from the environment. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  /** The interface the server listens on: loopback unless told otherwise (the Docker image sets 0.0.0.0). */
  host: string;
  /** Swagger UI at /docs and the OpenAPI document at /docs-json. */
  docsEnabled: boolean;
  logLevel: string;
  database: DatabaseConfig;
  /** Unset: one process, limits and slots in its memory (the zero-setup default). */
  redis?: RedisConfig;
  bootstrapApiKey?: string;
  corsOrigins: string[];
  /** Prometheus metrics at GET /metrics; with a token, scrapes must send it as a Bearer token. */
  metrics: { enabled: boolean; token?: string };
  import: {
    maxFileBytes: number;
    maxRows: number;
    batchSize: number;
    /** Batches in flight at once; SQLite always writes one at a time. */
    batchConcurrency: number;
    maxConcurrentPerWorkspace: number;
    maxConcurrent: number;
    /** Imports one API key may run at once, so that one key cannot take every slot of its workspace or the process. */
    maxConcurrentPerKey: number;
    /**
     * With Redis, a slot is a lease that its replica renews while the import runs; a replica that dies stops renewing,
     * so its slots free themselves after this long.
     */
    slotLeaseMs: number;
    /** An upload that sends no byte for this long is answered 408 and its slot freed. */
    uploadIdleTimeoutMs: number;
    /** The whole upload (the request body) must arrive within this long, however steadily it trickles. */
    uploadDeadlineMs: number;
    /** An import whose record has not been touched for this long belongs to a dead process. */
    staleAfterMs: number;
    /** How long an import can be undone (its ledger is kept); 0 keeps no ledger. */
    undoDays: number;
    /** On SQLite, clean rows in a worker thread while the main thread writes (see CleaningThread). */
    cleaningThread: boolean;
  };
  rateLimit: { perMinute: number; importsPerMinute: number };
  /** Custom field definitions a workspace may have; an import that would add more is a 400. */
  maxCustomFields: number;
  shutdownTimeoutMs: number;
  /** Async imports: on BullMQ in `redis` when it is set (its key prefix too), else on an in-process queue. */
  queue: {
    /** A job whose replica stops renewing its lock for this long is stalled and handed to another replica. */
    lockMs: number;
  };
  /** V8 lets the heap grow to (1 + this/100) × the live data after a full collection; 0 keeps V8's own policy. */
  heapGrowingPercent: number;
  webhooks: {
    /** Deliver to private, loopback and link-local addresses too (tests, receivers inside one's own network). */
    allowPrivate: boolean;
    /** The first retry's delay; each next one doubles (with jitter), up to an hour. */
    retryBaseMs: number;
    /** Retries stop this long after the first attempt; the delivery is then failed. */
    retryWindowMs: number;
    /** How often each replica looks for due deliveries. */
    pollIntervalMs: number;
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export const DEFAULT_SQLITE_PATH = './data/leadport.sqlite';

/** Validates the environment; throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, pickDefined(env));
  const errors = validateSync(vars, { whitelist: true });
  if (errors.length > 0) {
    // A variable's checks share one message: name it once.
    const lines = errors.flatMap((e) => [...new Set(Object.values(e.constraints ?? {}))]);
    throw new Error(`Invalid configuration:\n- ${lines.join('\n- ')}`);
  }
  const nodeEnv = (vars.NODE_ENV ?? 'development') as AppConfig['env'];
  const database = parseDatabaseUrl(vars.DATABASE_URL);
  return {
    env: nodeEnv,
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? '127.0.0.1',
    docsEnabled: vars.DOCS_ENABLED === undefined || TRUE_WORDS.includes(vars.DOCS_ENABLED),
    logLevel: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    database,
    redis: vars.REDIS_URL ? { url: vars.REDIS_URL, keyPrefix: vars.REDIS_KEY_PREFIX ?? 'leadport' } : undefined,
    bootstrapApiKey: vars.BOOTSTRAP_API_KEY,
    corsOrigins: (vars.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    metrics: {
      enabled: vars.METRICS_ENABLED !== undefined && TRUE_WORDS.includes(vars.METRICS_ENABLED),
      token: vars.METRICS_TOKEN,
    },
    import: {
      maxFileBytes: 50 * 1024 * 1024,
      maxRows: 50_000,
      batchSize: 1_000,
      // Within the design's 10: the main thread makes batches more slowly than MySQL commits them, so more in flight
      // only hold more rows and keep more transactions ahead of health probes (docs/performance.md, "Third round").
      batchConcurrency: 3,
      maxConcurrentPerWorkspace: vars.IMPORT_MAX_CONCURRENT_PER_WORKSPACE ?? 2,
      maxConcurrent: vars.IMPORT_MAX_CONCURRENT ?? 4,
      maxConcurrentPerKey: vars.IMPORT_MAX_CONCURRENT_PER_KEY ?? 1,
      slotLeaseMs: vars.IMPORT_SLOT_LEASE_MS ?? 30_000,
      uploadIdleTimeoutMs: vars.UPLOAD_IDLE_TIMEOUT_MS ?? 15_000,
      uploadDeadlineMs: vars.UPLOAD_DEADLINE_MS ?? 120_000,
      staleAfterMs: vars.IMPORT_STALE_AFTER_MS ?? 60_000,
      undoDays: vars.IMPORT_UNDO_DAYS ?? 30,
      cleaningThread: vars.IMPORT_CLEANING_THREAD === undefined || TRUE_WORDS.includes(vars.IMPORT_CLEANING_THREAD),
    },
    rateLimit: {
      perMinute: vars.RATE_LIMIT_PER_MINUTE ?? 600,
      importsPerMinute: vars.IMPORT_RATE_LIMIT_PER_MINUTE ?? 30,
    },
    maxCustomFields: vars.MAX_CUSTOM_FIELDS ?? 500,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS ?? 25_000,
    heapGrowingPercent: vars.HEAP_GROWING_PERCENT ?? 50,
    queue: { lockMs: vars.IMPORT_JOB_LOCK_MS ?? 30_000 },
    webhooks: {
      allowPrivate: vars.WEBHOOK_ALLOW_PRIVATE !== undefined && TRUE_WORDS.includes(vars.WEBHOOK_ALLOW_PRIVATE),
      retryBaseMs: vars.WEBHOOK_RETRY_BASE_MS ?? 30_000,
      retryWindowMs: vars.WEBHOOK_RETRY_WINDOW_MS ?? 24 * 60 * 60 * 1000,
      pollIntervalMs: vars.WEBHOOK_POLL_INTERVAL_MS ?? 2_000,
    },
  };
}

export function parseDatabaseUrl(url: string | undefined): DatabaseConfig {
  if (!url) return { type: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (url.startsWith('sqlite:')) return { type: 'sqlite', path: url.slice('sqlite:'.length) };
  return { type: 'mysql', url };
}

function pickDefined(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}
