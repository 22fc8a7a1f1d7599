import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LeadField } from './lead-fields';
import {
  isMysql,
  MAX_ROWS_PER_STATEMENT,
  placeholders,
  prepared,
  rowPlaceholders,
  select,
  sqliteConnection,
  statementChunks,
} from './sql';

/**
 * A lead row as the import writes it. `fields` are read by column (FIELD_COLUMNS; a missing one is stored as NULL),
 * so an object that also holds the email, as the cleaned fields do, can be passed as it is.
 */
export interface LeadRow {
  id: string;
  email: string;
  emailKey: string;
  fields: Partial<Record<Exclude<LeadField, 'email'>, string | null>>;
  customFields: Record<string, string>;
  /** Quality flags, as stored (see lead-status.ts). */
  flags: string;
}

/** A stored lead locked by an update-mode batch: its id, and its status (only active leads are updated). */
export interface LockedLead {
  id: string;
  status: string;
  /** When read (for a batch with custom fields): what the update merges the row's over. */
  customFields?: Record<string, string>;
}

/** Lead fields and their columns, in table order. */
export const FIELD_COLUMNS: Array<[Exclude<LeadField, 'email'>, string]> = [
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['companyName', 'company_name'],
  ['jobTitle', 'job_title'],
  ['phone', 'phone'],
  ['linkedinUrl', 'linkedin_url'],
  ['website', 'website'],
  ['city', 'city'],
  ['state', 'state'],
  ['country', 'country'],
  ['timezone', 'timezone'],
  ['notes', 'notes'],
];

/** The `leads` columns an import writes (all but `status`, which no import sets). */
export const COLUMNS = [
  'id',
  'workspace_id',
  'email',
  'email_key',
  ...FIELD_COLUMNS.map(([, column]) => column),
  'custom_fields',
  'created_at',
  'updated_at',
  'flags',
];

/**
 * How an update merges a row into the stored lead, per column, as SQL (`incoming` is the new value): the email
 * takes the file's spelling, a non-empty value overwrites, an empty one (NULL) never erases, custom fields come
 * merged by the batch writer or, without `customFields`, stay; id, workspace, identity and
 * created_at never change.
 */
function mergedColumns(incoming: (column: string) => string, customFields: boolean): Array<[string, string]> {
  const columns: Array<[string, string]> = [
    ['email', incoming('email')],
    ...FIELD_COLUMNS.map(([, column]): [string, string] => [column, `COALESCE(${incoming(column)}, ${column})`]),
    ['custom_fields', incoming('custom_fields')],
    ['updated_at', incoming('updated_at')],
    // Flags follow from the email alone: recomputed, so leads from before flags existed get theirs.
    ['flags', incoming('flags')],
  ];
  return customFields ? columns : columns.filter(([column]) => column !== 'custom_fields');
}

/** mergedColumns as the SET list of an UPDATE (or ON DUPLICATE KEY UPDATE). */
function mergedAssignments(incoming: (column: string) => string, customFields: boolean): string {
  return mergedColumns(incoming, customFields)
    .map(([column, value]) => `${column} = ${value}`)
    .join(', ');
}

/**
 * The import's bulk reads and writes of leads, run on the caller's transaction manager. The ORM's
 * per-entity work costs more than the database here, so these bypass entity hydration (reads for the
 * API use the Lead entity). On MySQL a batch is one parameterised multi-row statement (or one per
 * 4 MB of values): a statement is a network round trip. On SQLite a statement is a function call, and
 * one prepared single-row statement run for each row is faster than a 1,000-row VALUES list
 * (docs/performance.md), so that is what runs there — inside the same transaction.
 */
@Injectable()
export class LeadsRepository {
  /**
   * The stored leads of these identities (by identity), locked until the transaction ends (on MySQL; SQLite has one
   * writer), so their status and, `withCustomFields`, the custom fields the update merges over hold until it commits.
   */
  async lockExisting(
    manager: EntityManager,
    workspaceId: string,
    emailKeys: string[],
    withCustomFields: boolean,
  ): Promise<Map<string, LockedLead>> {
    if (emailKeys.length === 0) return new Map();
    const lock = isMysql(manager) ? ' FOR UPDATE' : '';
    const rows = await select<{ id: string; email_key: string; status: string; custom_fields?: string | null }>(
      manager,
      `SELECT id, email_key, status${withCustomFields ? ', custom_fields' : ''} FROM leads ` +
        `WHERE workspace_id = ? AND email_key IN (${placeholders(emailKeys.length)})${lock}`,
      [workspaceId, ...emailKeys],
    );
    const locked = new Map<string, LockedLead>();
    for (const { id, email_key, status, custom_fields } of rows) {
      const lead: LockedLead = { id, status };
      if (withCustomFields) lead.customFields = JSON.parse(custom_fields ?? '{}') as Record<string, string>;
      locked.set(email_key, lead);
    }
    return locked;
  }

  async workspaceHasLeads(manager: EntityManager, workspaceId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 AS found FROM leads WHERE workspace_id = ? LIMIT 1', [
      workspaceId,
    ]);
    return rows.length > 0;
  }

  /**
   * Which of these identities the workspace has. Only `email_key`: the unique index answers alone, where selecting
   * `id` too would cost SQLite a table lookup per key.
   */
  async existingKeys(manager: EntityManager, workspaceId: string, emailKeys: string[]): Promise<Set<string>> {
    if (emailKeys.length === 0) return new Set();
    const rows = await select<{ email_key: string }>(
      manager,
      `SELECT email_key FROM leads WHERE workspace_id = ? AND email_key IN (${placeholders(emailKeys.length)})`,
      [workspaceId, ...emailKeys],
    );
    return new Set(rows.map((row) => row.email_key));
  }

  /**
   * Which of these identities are stored leads that are not active: an update-mode import leaves them alone. Read
   * outside a transaction by a preview; an import's batch reads the status with its locks (lockExisting).
   */
  async protectedKeys(manager: EntityManager, workspaceId: string, emailKeys: string[]): Promise<Set<string>> {
    if (emailKeys.length === 0) return new Set();
    const rows = await select<{ email_key: string }>(
      manager,
      `SELECT email_key FROM leads WHERE workspace_id = ? AND status <> 'active' ` +
        `AND email_key IN (${placeholders(emailKeys.length)})`,
      [workspaceId, ...emailKeys],
    );
    return new Set(rows.map((row) => row.email_key));
  }

  /** Inserts new leads; a duplicate identity fails the statement (the caller retries the batch). */
  async insert(manager: EntityManager, workspaceId: string, rows: LeadRow[], now: string): Promise<void> {
    const sqlite = await sqliteConnection(manager);
    if (sqlite) {
      const statement = prepared(
        sqlite,
        `INSERT INTO leads (${COLUMNS.join(', ')}) VALUES ${rowPlaceholders(1, COLUMNS.length)}`,
      );
      for (const row of rows) statement.run(rowValues(workspaceId, row, now));
      return;
    }
    for (const chunk of statementChunks(rows, approximateBytes)) {
      await manager.query(
        `INSERT INTO leads (${COLUMNS.join(', ')}) VALUES ${rowPlaceholders(chunk.length, COLUMNS.length)}`,
        statementValues(chunk, workspaceId, now),
      );
    }
  }

  /**
   * Merges rows into the stored leads with their ids and identities (see mergedColumns). With `writesCustomFields`
   * the rows' custom fields replace the stored ones (the caller merged them), else the stored ones stay.
   */
  async update(
    manager: EntityManager,
    workspaceId: string,
    rows: LeadRow[],
    now: string,
    writesCustomFields: boolean,
  ): Promise<void> {
    const sqlite = await sqliteConnection(manager);
    if (sqlite) {
      const assignments = mergedAssignments(() => '?', writesCustomFields);
      const statement = prepared(sqlite, `UPDATE leads SET ${assignments} WHERE id = ? AND workspace_id = ?`);
      for (const row of rows) statement.run([...updatedValues(row, now, writesCustomFields), row.id, workspaceId]);
      return;
    }
    const assignments = mergedAssignments((column) => `VALUES(${column})`, writesCustomFields);
    for (const chunk of statementChunks(rows, approximateBytes)) {
      await manager.query(
        `INSERT INTO leads (${COLUMNS.join(', ')}) VALUES ${rowPlaceholders(chunk.length, COLUMNS.length)} ` +
          `ON DUPLICATE KEY UPDATE ${assignments}`,
        statementValues(chunk, workspaceId, now),
      );
    }
  }

  /** Links leads to a tag; links that exist already are left alone. */
  async tag(manager: EntityManager, workspaceId: string, tagId: string, leadIds: string[]): Promise<void> {
    const ignore = isMysql(manager) ? 'ON DUPLICATE KEY UPDATE lead_id = lead_id' : 'ON CONFLICT DO NOTHING';
    for (let i = 0; i < leadIds.length; i += MAX_ROWS_PER_STATEMENT) {
      const ids = leadIds.slice(i, i + MAX_ROWS_PER_STATEMENT);
      const values: string[] = [];
      for (const id of ids) values.push(id, tagId, workspaceId);
      await manager.query(
        `INSERT INTO lead_tags (lead_id, tag_id, workspace_id) VALUES ${rowPlaceholders(ids.length, 3)} ${ignore}`,
        values,
      );
    }
  }
}

/** A row's values in COLUMNS order; `now` is its created_at and updated_at (an update keeps the stored created_at). */
function rowValues(workspaceId: string, row: LeadRow, now: string): Array<string | null> {
  const values: Array<string | null> = [row.id, workspaceId, row.email, row.emailKey];
  for (const [field] of FIELD_COLUMNS) values.push(row.fields[field] ?? null);
  values.push(JSON.stringify(row.customFields), now, now, row.flags);
  return values;
}

/** The values of a multi-row statement, row after row: a plain loop, as `flatMap` makes an array per row. */
function statementValues(rows: LeadRow[], workspaceId: string, now: string): Array<string | null> {
  const values: Array<string | null> = [];
  for (const row of rows) for (const value of rowValues(workspaceId, row, now)) values.push(value);
  return values;
}

/** The incoming values of mergedColumns, in that order. */
function updatedValues(row: LeadRow, updatedAt: string, customFields: boolean): Array<string | null> {
  const values: Array<string | null> = [row.email];
  for (const [field] of FIELD_COLUMNS) values.push(row.fields[field] ?? null);
  if (customFields) values.push(JSON.stringify(row.customFields));
  values.push(updatedAt, row.flags);
  return values;
}

/** Loops rather than Object.values/entries, whose arrays would be garbage made for every row of a MySQL batch. */
function approximateBytes(row: LeadRow): number {
  let length = 200 + row.email.length;
  for (const [field] of FIELD_COLUMNS) length += row.fields[field]?.length ?? 0;
  for (const name in row.customFields) length += name.length + row.customFields[name].length;
  return length * 3; // worst case of UTF-8 bytes per UTF-16 unit
}
