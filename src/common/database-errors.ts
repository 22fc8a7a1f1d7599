/** Reading database driver errors (mysql2, better-sqlite3) through TypeORM's wrappers. */
import { QueryFailedError } from 'typeorm';

/** Codes that mean the connection to the database went away, not that the statement was wrong. */
const CONNECTION_LOST = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
]);

/** Codes of a write refused by a unique index (or primary key). */
const UNIQUE_VIOLATION = new Set(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** The driver's error code (`ER_DUP_ENTRY`, `SQLITE_BUSY`…), if the error has one. */
export function databaseErrorCode(error: unknown): string | undefined {
  const driverError: unknown =
    error instanceof QueryFailedError
      ? error.driverError
      : ((error as { driverError?: unknown })?.driverError ?? error);
  const code = (driverError as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isConnectionLost(error: unknown): boolean {
  const code = databaseErrorCode(error);
  return code !== undefined && CONNECTION_LOST.has(code);
}

/** A concurrent writer took the same unique value between this request's check and its write. */
export function isUniqueViolation(error: unknown): boolean {
  const code = databaseErrorCode(error);
  return code !== undefined && UNIQUE_VIOLATION.has(code);
}
