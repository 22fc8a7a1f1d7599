/**
 * Reads and writes of whole leads for an import's undo ledger and for undo itself: the values an update replaced, and
 * putting them back. Runs on the caller's transaction manager.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FIELD_COLUMNS, LockedLead } from './leads.repository';
import { fromDatabaseDate, isMysql, placeholders, select } from './sql';

/** A stored lead as an undo sees it: the values an import may have replaced. */
export interface StoredLead {
  id: string;
  /** By column: email and the FIELD_COLUMNS read. */
  columns: Record<string, string | null>;
  customFields: Record<string, string>;
  /** When read by `lockByIds`. */
  updatedAt?: Date;
}

/** A stored lead as an update-mode batch locks it for its undo ledger (custom fields `{}` when not read). */
export interface LockedSnapshot extends StoredLead, LockedLead {
  customFields: Record<string, string>;
}

/** Which values an update may replace: the lead columns the batch writes, and whether it writes custom fields. */
export interface SnapshotColumns {
  fields: readonly string[];
  customFields: boolean;
}

const FIELD_COLUMN_NAMES = FIELD_COLUMNS.map(([, column]) => column);
const STORED_COLUMNS = ['id', 'email_key', 'email', ...FIELD_COLUMN_NAMES, 'custom_fields'];

function toStoredLead(row: Record<string, unknown>): StoredLead {
  const columns: Record<string, string | null> = { email: row.email as string };
  for (const column of FIELD_COLUMN_NAMES) {
    if (column in row) columns[column] = (row[column] as string | null) ?? null;
  }
  const stored: StoredLead = {
    id: row.id as string,
    columns,
    customFields: JSON.parse((row.custom_fields as string | null) ?? '{}') as Record<string, string>,
  };
  if (row.updated_at !== undefined) stored.updatedAt = fromDatabaseDate(row.updated_at as string | Date);
  return stored;
}

@Injectable()
export class LeadSnapshots {
  /**
   * The stored leads of these identities with their status and the values an update of `columns` may replace, locked
   * like `LeadsRepository.lockExisting`: what an import keeps in its undo ledger.
   */
  async lockStored(
    manager: EntityManager,
    workspaceId: string,
    emailKeys: string[],
    columns: SnapshotColumns,
  ): Promise<Map<string, LockedSnapshot>> {
    if (emailKeys.length === 0) return new Map();
    const lock = isMysql(manager) ? ' FOR UPDATE' : '';
    const read = ['id', 'email_key', 'status', 'email', ...columns.fields];
    if (columns.customFields) read.push('custom_fields');
    const rows = await select<Record<string, string | null>>(
      manager,
      `SELECT ${read.join(', ')} FROM leads ` +
        `WHERE workspace_id = ? AND email_key IN (${placeholders(emailKeys.length)})${lock}`,
      [workspaceId, ...emailKeys],
    );
    return new Map(rows.map((row) => [row.email_key!, { ...toStoredLead(row), status: row.status! }]));
  }

  /** These leads (by id) with their values and updated_at, locked until the transaction ends. */
  async lockByIds(manager: EntityManager, workspaceId: string, ids: string[]): Promise<StoredLead[]> {
    if (ids.length === 0) return [];
    const lock = isMysql(manager) ? ' FOR UPDATE' : '';
    const rows = await select<Record<string, string | null>>(
      manager,
      `SELECT ${STORED_COLUMNS.join(', ')}, updated_at FROM leads ` +
        `WHERE workspace_id = ? AND id IN (${placeholders(ids.length)})${lock}`,
      [workspaceId, ...ids],
    );
    return rows.map(toStoredLead);
  }

  /** Which of these leads carry the tag. */
  async taggedAmong(manager: EntityManager, tagId: string, leadIds: string[]): Promise<Set<string>> {
    if (leadIds.length === 0) return new Set();
    const rows = await select<{ lead_id: string }>(
      manager,
      `SELECT lead_id FROM lead_tags WHERE tag_id = ? AND lead_id IN (${placeholders(leadIds.length)})`,
      [tagId, ...leadIds],
    );
    return new Set(rows.map((row) => row.lead_id));
  }

  async deleteByIds(manager: EntityManager, workspaceId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`DELETE FROM leads WHERE workspace_id = ? AND id IN (${placeholders(ids.length)})`, [
      workspaceId,
      ...ids,
    ]);
  }

  /** Writes these columns (and the whole custom-field object) of one lead. */
  async overwrite(
    manager: EntityManager,
    workspaceId: string,
    lead: { id: string; columns: Record<string, string | null>; customFields: Record<string, string> },
    now: string,
  ): Promise<void> {
    const columns = Object.keys(lead.columns).filter((column) => STORED_COLUMNS.includes(column));
    const assignments = [...columns.map((column) => `${column} = ?`), 'custom_fields = ?', 'updated_at = ?'];
    await manager.query(`UPDATE leads SET ${assignments.join(', ')} WHERE id = ? AND workspace_id = ?`, [
      ...columns.map((column) => lead.columns[column]),
      JSON.stringify(lead.customFields),
      now,
      lead.id,
      workspaceId,
    ]);
  }

  async untag(manager: EntityManager, tagId: string, leadIds: string[]): Promise<void> {
    if (leadIds.length === 0) return;
    await manager.query(`DELETE FROM lead_tags WHERE tag_id = ? AND lead_id IN (${placeholders(leadIds.length)})`, [
      tagId,
      ...leadIds,
    ]);
  }
}
