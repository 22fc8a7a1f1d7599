import Database from 'better-sqlite3';
import { createConnection, createPool, RowDataPacket } from 'mysql2/promise';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { localServerPid } from './cpu';
import { LeadRows, TableColumn } from './lead-rows';

const SCRATCH_TABLE = 'leads_floor';
const ROWS_PER_STATEMENT = 1000;
const MYSQL_CONNECTIONS = 10;

/** One database the benchmark runs the server against, and writes the floor rows to with the driver alone. */
export interface BenchDatabase {
  name: 'SQLite' | 'MariaDB';
  /** DATABASE_URL for the server and the CLI. */
  url: string;
  version: string;
  /** The database server's pid when it runs on this machine (MariaDB), for its CPU time; undefined for SQLite. */
  serverPid?: number;
  /** The id of a workspace of this database (the floor rows need one for the foreign key). */
  anyWorkspaceId(): Promise<string>;
  /** The `leads` table's columns in table order, once the migrations have run. */
  leadColumns(): Promise<TableColumn[]>;
  /** Write floor: the rows into an empty scratch copy of `leads`; returns wall ms. */
  writeFloor(leads: LeadRows): Promise<number>;
  /** Drops the database (MariaDB) or leaves the file to the temp dir clean-up (SQLite). */
  drop(): Promise<void>;
}

export function sqliteDatabase(dir: string, fileName = 'bench.sqlite'): BenchDatabase {
  const path = join(dir, fileName);
  const open = () => {
    const db = new Database(path);
    // The server's settings (src/database/data-source-options.ts), and TypeORM's foreign_keys = ON.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    return db;
  };
  const probe = new Database(':memory:');
  const version = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  probe.close();
  return {
    name: 'SQLite',
    url: `sqlite:${path}`,
    version: `SQLite ${version} (better-sqlite3)`,
    anyWorkspaceId: () => {
      const db = open();
      try {
        const row = db.prepare('SELECT id FROM workspaces ORDER BY created_at LIMIT 1').get() as { id: string };
        return Promise.resolve(row.id);
      } finally {
        db.close();
      }
    },
    leadColumns: () => {
      const db = open();
      try {
        const columns = db.prepare('PRAGMA table_info(leads)').all() as Array<{
          name: string;
          notnull: number;
          dflt_value: unknown;
        }>;
        return Promise.resolve(
          columns.map((column) => ({
            name: column.name,
            required: column.notnull === 1 && column.dflt_value === null,
          })),
        );
      } finally {
        db.close();
      }
    },
    writeFloor: ({ columns, rows }) => {
      const db = open();
      try {
        createSqliteScratchTable(db);
        const insert = db.prepare(
          `INSERT INTO ${SCRATCH_TABLE} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        const writeBatch = db.transaction((batch: LeadRows['rows']) => {
          for (const row of batch) insert.run(row);
        });
        const started = performance.now();
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) writeBatch(rows.slice(i, i + ROWS_PER_STATEMENT));
        const ms = performance.now() - started;
        const { n } = db.prepare(`SELECT COUNT(*) AS n FROM ${SCRATCH_TABLE}`).get() as { n: number };
        if (n !== rows.length) throw new Error(`SQLite write floor stored ${n} of ${rows.length} rows`);
        return Promise.resolve(ms);
      } finally {
        db.exec(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`);
        db.close();
      }
    },
    drop: () => Promise.resolve(),
  };
}

/** Copies `leads` with its indexes (and foreign key) from the server's own DDL. */
function createSqliteScratchTable(db: Database.Database): void {
  db.exec(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`);
  const objects = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'leads' AND sql IS NOT NULL ORDER BY type DESC`,
    )
    .all() as Array<{ type: string; name: string; sql: string }>;
  const table = objects.find((object) => object.type === 'table');
  if (!table) throw new Error('The SQLite database has no leads table (did the migrations run?)');
  for (const object of objects) {
    const sql = object.sql
      .replace(/^CREATE TABLE\s+("?)leads\1/i, `CREATE TABLE "${SCRATCH_TABLE}"`)
      .replace(/\bON\s+("?)leads\1\s*\(/i, `ON "${SCRATCH_TABLE}" (`)
      .replace(/INDEX\s+"([^"]+)"/i, (_match, name: string) => `INDEX "${name}_floor"`);
    db.exec(sql);
  }
}

/** Why MariaDB cannot be used, or undefined when it answers. */
export async function mariadbUnreachable(url: string): Promise<string | undefined> {
  try {
    const connection = await createConnection({ uri: serverUrl(url), connectTimeout: 5000 });
    await connection.end();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Creates the bench database afresh (dropping a leftover of an interrupted run). */
export async function mariadbDatabase(url: string): Promise<BenchDatabase> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  // The bench drops this database when it is done: refuse anything that is not obviously a bench database.
  if (!/^\w*bench\w*$/i.test(name)) {
    throw new Error(
      `BENCH_MYSQL_URL must name a database containing "bench" (it is dropped afterwards), not "${name}"`,
    );
  }
  const admin = await createConnection({ uri: serverUrl(url) });
  let version: string;
  let serverPid: number | undefined;
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [rows] = await admin.query<RowDataPacket[]>('SELECT VERSION() AS v, @@pid_file AS pidFile');
    version = String(rows[0].v);
    if (LOCAL_HOSTS.has(new URL(url).hostname)) serverPid = localServerPid(String(rows[0].pidFile));
  } finally {
    await admin.end();
  }
  return {
    name: 'MariaDB',
    url,
    version: /mariadb/i.test(version) ? version : `MySQL ${version}`,
    serverPid,
    anyWorkspaceId: async () => {
      const connection = await createConnection({ uri: url });
      try {
        const [rows] = await connection.query<RowDataPacket[]>('SELECT id FROM workspaces ORDER BY created_at LIMIT 1');
        return String(rows[0].id);
      } finally {
        await connection.end();
      }
    },
    leadColumns: async () => {
      const connection = await createConnection({ uri: url });
      try {
        const [rows] = await connection.query<RowDataPacket[]>(
          `SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS fallback FROM information_schema.COLUMNS
           WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'leads' ORDER BY ORDINAL_POSITION`,
        );
        return rows.map((row) => ({
          name: String(row.name),
          required: row.nullable === 'NO' && row.fallback === null,
        }));
      } finally {
        await connection.end();
      }
    },
    writeFloor: (leads) => mariadbWriteFloor(url, leads),
    drop: async () => {
      const connection = await createConnection({ uri: serverUrl(url) });
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}

/**
 * A pool of 10 connections, one multi-row INSERT per 1,000 rows, 10 statements in flight; autocommit, as each of
 * the import's batches commits alone. `CREATE TABLE … LIKE` copies columns and indexes, not the foreign key.
 */
async function mariadbWriteFloor(url: string, { columns, rows }: LeadRows): Promise<number> {
  const pool = createPool({
    uri: url,
    connectionLimit: MYSQL_CONNECTIONS,
    charset: 'UTF8MB4_UNICODE_CI',
    timezone: 'Z',
  });
  try {
    await pool.query(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`);
    await pool.query(`CREATE TABLE ${SCRATCH_TABLE} LIKE leads`);
    // Open every connection before the clock starts.
    await Promise.all(Array.from({ length: MYSQL_CONNECTIONS }, () => pool.query('SELECT 1')));
    const rowSql = `(${columns.map(() => '?').join(', ')})`;
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const batch = rows.slice(next, (next += ROWS_PER_STATEMENT));
        await pool.query(
          `INSERT INTO ${SCRATCH_TABLE} (${columns.join(', ')}) VALUES ${batch.map(() => rowSql).join(', ')}`,
          batch.flat(),
        );
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: MYSQL_CONNECTIONS }, worker));
    const ms = performance.now() - started;
    const [count] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${SCRATCH_TABLE}`);
    if (Number(count[0].n) !== rows.length) {
      throw new Error(`MariaDB write floor stored ${String(count[0].n)} of ${rows.length} rows`);
    }
    return ms;
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`);
    await pool.end();
  }
}

/** The same server without a database in the path, for CREATE/DROP DATABASE. */
function serverUrl(url: string): string {
  const server = new URL(url);
  server.pathname = '/';
  return server.toString();
}
