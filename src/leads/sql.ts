/** Raw SQL helpers of the lead repositories: placeholders, and SQLite reads through cached prepared statements. */
import type { EntityManager } from 'typeorm';
import { splitRows } from '../database/split-rows';

export function isMysql(manager: EntityManager): boolean {
  return manager.connection.driver.options.type === 'mysql';
}

export function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

export function rowPlaceholders(rows: number, columns: number): string {
  const row = `(${placeholders(columns)})`;
  return new Array<string>(rows).fill(row).join(', ');
}

interface SqliteStatement {
  run(params: unknown[]): unknown;
  all(params: unknown[]): unknown[];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/**
 * The better-sqlite3 connection under a TypeORM manager (the one its transaction runs on; the DataSource's one
 * connection for a manager outside a transaction), or undefined.
 */
export async function sqliteConnection(manager: EntityManager): Promise<SqliteConnection | undefined> {
  const driver = manager.connection.driver;
  if (driver.options.type !== 'better-sqlite3') return undefined;
  if (!manager.queryRunner) return (driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  return (await manager.queryRunner.connect()) as SqliteConnection;
}

/**
 * A read of the import: on SQLite through a cached prepared statement (TypeORM prepares every query anew, which
 * costs half as much again as looking up 1,000 keys), elsewhere through the manager.
 */
export async function select<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const sqlite = await sqliteConnection(manager);
  return sqlite ? (prepared(sqlite, sql).all(params) as T[]) : manager.query<T[]>(sql, params);
}

/**
 * A multi-row INSERT of plain values (no TypeORM entity: its query builder names every parameter, slow for thousands
 * of them). On SQLite one cached prepared statement per row, on MySQL statements within the statement budget.
 */
export async function insertRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<SqlValue>>,
): Promise<void> {
  if (rows.length === 0) return;
  const sqlite = await sqliteConnection(manager);
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  if (sqlite) {
    const statement = prepared(sqlite, head + rowPlaceholders(1, columns.length));
    for (const row of rows) statement.run(row as SqlValue[]);
    return;
  }
  for (const chunk of statementChunks(rows, valuesBytes)) {
    const values: SqlValue[] = [];
    for (const row of chunk) for (const value of row) values.push(value);
    await manager.query(head + rowPlaceholders(chunk.length, columns.length), values);
  }
}

/** Rows per MySQL statement, and a byte budget well under MySQL's default 16 MB max_allowed_packet. */
export const MAX_ROWS_PER_STATEMENT = 1000;
const MAX_BYTES_PER_STATEMENT = 4 * 1024 * 1024;

/** The import's MySQL statements: at most MAX_ROWS_PER_STATEMENT rows and about 4 MB of values each. */
export function statementChunks<T>(rows: readonly T[], bytesOf: (row: T) => number): T[][] {
  return splitRows(rows, MAX_ROWS_PER_STATEMENT, MAX_BYTES_PER_STATEMENT, bytesOf);
}

/** At most 3 UTF-8 bytes per UTF-16 unit, plus a few for quotes and commas. */
function valuesBytes(row: ReadonlyArray<SqlValue>): number {
  let length = 0;
  for (const value of row) length += typeof value === 'string' ? value.length * 3 + 4 : 24;
  return length;
}

/** What insertRows takes: booleans as 0/1 and dates as toDatabaseDate text, so both drivers store the same. */
export type SqlValue = string | number | null;

/** Prepared statements per connection, the most recently prepared last; a batch's last chunk varies in size. */
const statements = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();
const MAX_CACHED_STATEMENTS = 32;

export function prepared(connection: SqliteConnection, sql: string): SqliteStatement {
  let cache = statements.get(connection);
  if (!cache) statements.set(connection, (cache = new Map<string, SqliteStatement>()));
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
    cache.set(sql, (statement = connection.prepare(sql)));
  }
  return statement;
}

/** UTC "YYYY-MM-DD HH:MM:SS.mmm": what both databases store in a DATETIME(3) column. */
export function toDatabaseDate(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** A DATETIME(3) as read: mysql2 gives a Date (UTC, see the DataSource options), better-sqlite3 the stored text. */
export function fromDatabaseDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}
