import { ValueTransformer } from 'typeorm';

/** Every id column: 24 hex characters made by `newId()`. */
export const ID_COLUMN = { type: 'varchar', length: 24 } as const;

/** Timestamps are stored in UTC with millisecond precision on both databases. */
export const TIMESTAMP_COLUMN = { type: 'datetime', precision: 3 } as const;

/** JSON kept as text so MySQL and SQLite store it the same way. */
export const jsonTransformer = <T>(fallback: T): ValueTransformer => ({
  to: (value: T | undefined) => (value === undefined ? undefined : JSON.stringify(value)),
  from: (value: string | null) => (value == null ? fallback : (JSON.parse(value) as T)),
});
