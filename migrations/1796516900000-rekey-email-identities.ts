import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { identityOf } from '../src/import/normalize/email';

const PAGE = 5_000;

/**
 * The email identity became one form per mailbox (NFKC, IDNA domain, needless quotes removed: `identityOf`), so
 * stored leads get their `email_key` recomputed from their email. Two leads of a workspace that the new rule makes
 * one mailbox are not merged behind anyone's back: the later one keeps its old key, and each such pair is logged
 * (ids only) for a person to decide.
 */
export class RekeyEmailIdentities1796516900000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await rekey(queryRunner, identityOf, 'up');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rekey(queryRunner, previousIdentityOf, 'down');
  }
}

/** The rule before this migration: trimmed, lower-cased, NFC. Kept here (only) so that down() can restore it. */
function previousIdentityOf(email: string): string {
  return email.trim().toLowerCase().normalize('NFC');
}

interface LeadKeyRow {
  id: string;
  workspace_id: string;
  email: string;
  email_key: string;
}

async function rekey(runner: QueryRunner, keyOf: (email: string) => string, direction: string): Promise<void> {
  const logger = new Logger(`RekeyEmailIdentities (${direction})`);
  let after = '';
  let rekeyed = 0;
  let kept = 0;
  for (;;) {
    // Paged by primary key: a large table is never read whole, and every update below is by primary key.
    const rows = (await runner.query(
      'SELECT id, workspace_id, email, email_key FROM leads WHERE id > ? ORDER BY id LIMIT ?',
      [after, PAGE],
    )) as LeadKeyRow[];
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    for (const row of rows) {
      const key = keyOf(row.email);
      if (key === row.email_key) continue;
      const holders = (await runner.query('SELECT id FROM leads WHERE workspace_id = ? AND email_key = ?', [
        row.workspace_id,
        key,
      ])) as Array<{ id: string }>;
      if (holders.length > 0) {
        kept++;
        logger.warn(
          `Leads ${holders[0].id} and ${row.id} of workspace ${row.workspace_id} are one mailbox under the new ` +
            `identity rule; ${row.id} keeps its old identity. Merge or delete one of them.`,
        );
        continue;
      }
      await runner.query('UPDATE leads SET email_key = ? WHERE id = ?', [key, row.id]);
      rekeyed++;
    }
  }
  if (rekeyed > 0 || kept > 0) {
    logger.log(`Re-keyed ${rekeyed} lead(s); ${kept} would have merged with another lead and kept their old key`);
  }
}
