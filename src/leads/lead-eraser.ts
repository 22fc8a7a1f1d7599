import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Transactions } from '../import/write/transactions';
import { SuppressionsRepository } from '../suppressions/suppressions.repository';
import { emailHash } from '../suppressions/suppression-keys';
import { placeholders } from './sql';
import type { Lead } from './lead.entity';

export interface DeleteOptions {
  /** Add the lead's email (hashed) to the suppression list, in the delete's transaction. */
  suppress: boolean;
  /** Also remove the address from the workspace's import error rows and undo ledger (right to be forgotten). */
  erase: boolean;
}

const ERASED = '[erased]';

/** Deletes a lead, and with it, on request, every copy of its address that the import kept. */
@Injectable()
export class LeadEraser {
  constructor(
    private readonly transactions: Transactions,
    private readonly suppressions: SuppressionsRepository,
  ) {}

  /** Returns how many import records (error rows, ledger entries) the erase changed. */
  delete(lead: Lead, options: DeleteOptions): Promise<number> {
    return this.transactions.run(async (manager) => {
      await manager.query('DELETE FROM lead_tags WHERE lead_id = ? AND workspace_id = ?', [lead.id, lead.workspaceId]);
      await manager.query('DELETE FROM leads WHERE id = ? AND workspace_id = ?', [lead.id, lead.workspaceId]);
      if (options.suppress || options.erase) {
        const entry = { kind: 'email' as const, value: emailHash(lead.emailKey) };
        await this.suppressions.add(manager, lead.workspaceId, [entry], 'manual');
      }
      if (!options.erase) return 0;
      return (await this.erase(manager, lead)) + (await this.eraseFromIdempotentAnswers(manager, lead));
    });
  }

  /**
   * Import records keep addresses in three places: a failed row's `email` and `cells`, and what an update replaced
   * (`import_ledger.previous`). Candidates are found by a case-insensitive LIKE, then every spelling of the address
   * (any case) is replaced in them.
   */
  private async erase(manager: EntityManager, lead: Lead): Promise<number> {
    const imports = await manager.query<
      Array<{
        id: string;
      }>
    >('SELECT id FROM imports WHERE workspace_id = ?', [lead.workspaceId]);
    if (imports.length === 0) return 0;
    const ids = imports.map((record) => record.id);
    const pattern = `%${lead.emailKey.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    const address = new RegExp(lead.emailKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
    const scrub = (value: string) => value.replace(address, ERASED);
    let touched = 0;

    const inImports = `import_id IN (${placeholders(ids.length)})`;
    const errors = await manager.query<
      Array<{ import_id: string; data_row: number; email: string; cells: string | null }>
    >(
      `SELECT import_id, data_row, email, cells FROM import_row_errors WHERE ${inImports} ` +
        `AND (LOWER(email) LIKE ? ESCAPE '!' OR LOWER(cells) LIKE ? ESCAPE '!')`,
      [...ids, pattern, pattern],
    );
    for (const row of errors) {
      await manager.query('UPDATE import_row_errors SET email = ?, cells = ? WHERE import_id = ? AND data_row = ?', [
        scrub(row.email),
        row.cells === null ? null : scrub(row.cells),
        row.import_id,
        row.data_row,
      ]);
      touched++;
    }

    // The lead is gone, so its own ledger entries can undo nothing: they go; others are scrubbed.
    const own = await manager.query<unknown[]>(
      `SELECT import_id FROM import_ledger WHERE ${inImports} AND lead_id = ?`,
      [...ids, lead.id],
    );
    await manager.query(`DELETE FROM import_ledger WHERE ${inImports} AND lead_id = ?`, [...ids, lead.id]);
    touched += own.length;
    const entries = await manager.query<Array<{ import_id: string; lead_id: string; previous: string }>>(
      `SELECT import_id, lead_id, previous FROM import_ledger WHERE ${inImports} AND LOWER(previous) LIKE ? ESCAPE '!'`,
      [...ids, pattern],
    );
    for (const entry of entries) {
      await manager.query('UPDATE import_ledger SET previous = ? WHERE import_id = ? AND lead_id = ?', [
        scrub(entry.previous),
        entry.import_id,
        entry.lead_id,
      ]);
      touched++;
    }
    return touched;
  }

  /**
   * An import's answer kept for its Idempotency-Key (24 hours) holds the addresses of its failed rows: scrubbed as in
   * the import records, in the answer's JSON text (where the address is JSON-escaped).
   */
  private async eraseFromIdempotentAnswers(manager: EntityManager, lead: Lead): Promise<number> {
    const inJson = JSON.stringify(lead.emailKey).slice(1, -1);
    const pattern = `%${inJson.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    const address = new RegExp(inJson.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
    const answers = await manager.query<Array<{ idempotency_key: string; response: string }>>(
      "SELECT idempotency_key, response FROM idempotency_keys WHERE workspace_id = ? AND LOWER(response) LIKE ? ESCAPE '!'",
      [lead.workspaceId, pattern],
    );
    for (const answer of answers) {
      await manager.query('UPDATE idempotency_keys SET response = ? WHERE workspace_id = ? AND idempotency_key = ?', [
        answer.response.replace(address, ERASED),
        lead.workspaceId,
        answer.idempotency_key,
      ]);
    }
    return answers.length;
  }
}
