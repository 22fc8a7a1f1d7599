import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { InitialSchema1795762800000 } from '../../migrations/1795762800000-initial-schema';
import { WidenKeyColumns1795766400000 } from '../../migrations/1795766400000-widen-key-columns';
import { ImportBatches1795770000000 } from '../../migrations/1795770000000-import-batches';
import { SafeToSend1795773600000 } from '../../migrations/1795773600000-safe-to-send';
import { RekeyEmailIdentities1796516900000 } from '../../migrations/1796516900000-rekey-email-identities';
import { AsyncImports1796600000000 } from '../../migrations/1796600000000-async-imports';
import { Webhooks1796600100000 } from '../../migrations/1796600100000-webhooks';
import { IdempotencyKeys1796600200000 } from '../../migrations/1796600200000-idempotency-keys';
import { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';

export const MIGRATIONS = [
  InitialSchema1795762800000,
  WidenKeyColumns1795766400000,
  ImportBatches1795770000000,
  SafeToSend1795773600000,
  RekeyEmailIdentities1796516900000,
  AsyncImports1796600000000,
  Webhooks1796600100000,
  IdempotencyKeys1796600200000,
];

/** Connections in the MySQL pool: the import's 10 concurrent batches plus room for reads. */
export const MYSQL_POOL_SIZE = 20;

/** Options shared by the service and the migration CLI (`src/database/data-source.ts`). */
export function buildDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: false,
  } as const;

  if (database.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: database.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      connectTimeout: 10_000,
      poolSize: MYSQL_POOL_SIZE,
      extra: { connectionLimit: MYSQL_POOL_SIZE, enableKeepAlive: true },
    };
  }

  if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: database.path,
    enableWAL: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      // Writers wait for each other instead of failing at once with SQLITE_BUSY.
      db.pragma('busy_timeout = 10000');
      db.pragma('synchronous = NORMAL');
      // The backstop to WalCheckpoints' thread. An import's batches rewrite the same index pages: rarer checkpoints
      // than SQLite's default copy each page back once per many batches (docs/performance.md). The file is cut back
      // after one.
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma('journal_size_limit = 67108864');
    },
  };
}
