/**
 * Reads and writes of whole leads for an import's undo ledger and for undo itself: the values an update replaced, and
 * putting them back. Runs on the caller's transaction manager.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FIELD_COLUMNS } from './leads.repository';
import { fromDatabaseDate, isMysql, placeholders, select } from './sql';

/** A stored lead as an undo sees it: the values an import may have replaced. */
export interface StoredLead {
  id: string;
  /** By column: email and FIELD_COLUMNS. */
  columns: Record<string, string | null>;
  customFields: Record<string, string>;
  /** When read by `lockByIds`. */
  updatedAt?: Date;
}

const STORED_COLUMNS = ['id', 'email_key', 'email', ...FIELD_COLUMNS.map(([, column]) => column), 'custom_fields'];

function toStoredLead(row: Record<string, unknown>): StoredLead {
  const columns: Record<string, string | null> = { email: row.email as string };
  for (const [, column] of FIELD_COLUMNS) columns[column] = (row[column] as string | null) ?? null;
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
   * The stored leads of these identities with the values an update may replace, locked like `lockExisting`: what an
   * import keeps in its undo ledger.
   */
  async lockStored(manager: EntityManager, workspaceId: string, emailKeys: string[]): Promise<Map<string, StoredLead>> {
    if (emailKeys.length === 0) return new Map();
    const lock = isMysql(manager) ? ' FOR UPDATE' : '';
    const rows = await select<Record<string, string | null>>(
      manager,
      `SELECT ${STORED_COLUMNS.join(', ')} FROM leads ` +
        `WHERE workspace_id = ? AND email_key IN (${placeholders(emailKeys.length)})${lock}`,
      [workspaceId, ...emailKeys],
    );
    return new Map(rows.map((row) => [row.email_key!, toStoredLead(row)]));
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
