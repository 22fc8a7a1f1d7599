import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { newId } from '../common/object-id';
import { isMysql, placeholders, rowPlaceholders, select } from '../leads/sql';
import { toDatabaseDate } from '../leads/sql';
import { emailHash } from './suppression-keys';
import type { SuppressionKind, SuppressionReason } from './suppression.entity';

export interface SuppressionValue {
  kind: SuppressionKind;
  value: string;
}

const ROWS_PER_STATEMENT = 1000;

/** The suppression list's reads and writes on the caller's manager (an import batch's, or a lead delete's). */
@Injectable()
export class SuppressionsRepository {
  /** Adds entries; ones the list has already are left as they are. Returns how many were new. */
  async add(
    manager: EntityManager,
    workspaceId: string,
    entries: SuppressionValue[],
    reason: SuppressionReason,
  ): Promise<number> {
    let added = 0;
    const ignore = isMysql(manager) ? 'ON DUPLICATE KEY UPDATE id = id' : 'ON CONFLICT DO NOTHING';
    const now = toDatabaseDate(new Date());
    for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
      const chunk = entries.slice(i, i + ROWS_PER_STATEMENT);
      const known = await this.existing(manager, workspaceId, chunk);
      const fresh = chunk.filter((entry) => !known.has(`${entry.kind}:${entry.value}`));
      if (fresh.length === 0) continue;
      const values: string[] = [];
      for (const entry of fresh) values.push(newId(), workspaceId, entry.kind, entry.value, reason, now);
      await manager.query(
        `INSERT INTO suppressions (id, workspace_id, kind, value, reason, created_at) ` +
          `VALUES ${rowPlaceholders(fresh.length, 6)} ${ignore}`,
        values,
      );
      added += fresh.length;
    }
    return added;
  }

  async workspaceHasAny(manager: EntityManager, workspaceId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 AS found FROM suppressions WHERE workspace_id = ? LIMIT 1', [
      workspaceId,
    ]);
    return rows.length > 0;
  }

  /** Which of these email identities the list suppresses, by their hash or their domain. */
  async suppressedAmong(manager: EntityManager, workspaceId: string, identities: string[]): Promise<Set<string>> {
    if (identities.length === 0) return new Set();
    const byHash = new Map(identities.map((identity) => [emailHash(identity), identity]));
    const domains = [...new Set(identities.map((identity) => identity.slice(identity.lastIndexOf('@') + 1)))];
    const [hashes, domainsFound] = await Promise.all([
      this.values(manager, workspaceId, 'email', [...byHash.keys()]),
      this.values(manager, workspaceId, 'domain', domains),
    ]);
    const blocked = new Set(domainsFound);
    const suppressed = new Set(hashes.map((hash) => byHash.get(hash)!));
    for (const identity of identities) {
      if (blocked.has(identity.slice(identity.lastIndexOf('@') + 1))) suppressed.add(identity);
    }
    return suppressed;
  }

  private async existing(manager: EntityManager, workspaceId: string, entries: SuppressionValue[]) {
    const found = new Set<string>();
    for (const kind of ['email', 'domain'] as const) {
      const values = entries.filter((entry) => entry.kind === kind).map((entry) => entry.value);
      for (const value of await this.values(manager, workspaceId, kind, values)) found.add(`${kind}:${value}`);
    }
    return found;
  }

  private async values(manager: EntityManager, workspaceId: string, kind: SuppressionKind, values: string[]) {
    if (values.length === 0) return [];
    const rows = await select<{ value: string }>(
      manager,
      `SELECT value FROM suppressions WHERE workspace_id = ? AND kind = ? AND value IN (${placeholders(values.length)})`,
      [workspaceId, kind, ...values],
    );
    return rows.map((row) => row.value);
  }
}
