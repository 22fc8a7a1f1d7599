import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RekeyEmailIdentities1796516900000 } from '../migrations/1796516900000-rekey-email-identities';
import { newId } from '../src/common/object-id';
import { parseDatabaseUrl } from '../src/config/app-config';
import { buildDataSourceOptions, MIGRATIONS } from '../src/database/data-source-options';
import { createTestDatabase, DATABASES } from './support/databases';

for (const kind of DATABASES) {
  describe(`migrations [${kind}]`, () => {
    it('run, revert completely and run again', async () => {
      const database = await createTestDatabase(kind);
      const dataSource = new DataSource({
        ...buildDataSourceOptions(parseDatabaseUrl(database.url)),
        migrationsRun: false,
      });
      try {
        await dataSource.initialize();
        expect(await dataSource.runMigrations()).toHaveLength(MIGRATIONS.length);
        for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();
        expect(await dataSource.query('SELECT * FROM migrations')).toEqual([]);
        const runner = dataSource.createQueryRunner();
        expect(await runner.hasTable('leads')).toBe(false);
        await runner.release();
        expect(await dataSource.runMigrations()).toHaveLength(MIGRATIONS.length);
        expect(await dataSource.showMigrations()).toBe(false);
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
        await database.drop();
      }
    });
  });
}

for (const kind of DATABASES) {
  describe(`migration: re-key email identities [${kind}]`, () => {
    it('re-keys stored leads to the one-per-mailbox identity, logs those that would merge, and reverts', async () => {
      const database = await createTestDatabase(kind);
      // The migrations up to this one: "the last migration" below is always the re-keying, whatever comes after it.
      const upToRekey = MIGRATIONS.slice(0, MIGRATIONS.indexOf(RekeyEmailIdentities1796516900000) + 1);
      const dataSource = new DataSource({
        ...buildDataSourceOptions(parseDatabaseUrl(database.url)),
        migrations: upToRekey,
        migrationsRun: false,
      });
      const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const logs = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      try {
        await dataSource.initialize();
        await dataSource.runMigrations();
        await dataSource.undoLastMigration();
        const workspace = newId();
        const other = newId();
        // As the previous rule stored them: trimmed, lower-cased, NFC.
        const leads = {
          plain: ['jane@acme.com', workspace],
          fullwidth: ['ｊａｎｅ@acme.com', workspace],
          unicodeDomain: ['user@BÜCHER.de', workspace],
          quoted: ['"solo"@acme.com', workspace],
          otherWorkspace: ['ｊａｎｅ@acme.com', other],
        };
        const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
        for (const id of [workspace, other]) {
          await dataSource.query('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)', [id, 'W', now]);
        }
        const ids: Record<string, string> = {};
        for (const [name, [email, workspaceId]] of Object.entries(leads)) {
          ids[name] = newId();
          await dataSource.query(
            'INSERT INTO leads (id, workspace_id, email, email_key, custom_fields, created_at, updated_at) ' +
              "VALUES (?, ?, ?, ?, '{}', ?, ?)",
            [ids[name], workspaceId, email, email.trim().toLowerCase().normalize('NFC'), now, now],
          );
        }
        const keys = async () => {
          const rows: Array<{ id: string; email_key: string }> = await dataSource.query(
            'SELECT id, email_key FROM leads',
          );
          return Object.fromEntries(
            Object.entries(ids).map(([name, id]) => [name, rows.find((row) => row.id === id)?.email_key]),
          );
        };
        const before = await keys();

        expect(await dataSource.runMigrations()).toHaveLength(1);
        expect(await keys()).toEqual({
          plain: 'jane@acme.com',
          fullwidth: 'ｊａｎｅ@acme.com', // would merge with "plain": left alone, and reported
          unicodeDomain: 'user@xn--bcher-kva.de',
          quoted: 'solo@acme.com',
          otherWorkspace: 'jane@acme.com', // another workspace's lead is never a duplicate
        });
        const reported = warnings.mock.calls.map(([message]) => String(message));
        expect(reported).toHaveLength(1);
        expect(reported[0]).toContain(ids.plain);
        expect(reported[0]).toContain(ids.fullwidth);
        expect(reported[0]).not.toContain('jane');

        await dataSource.undoLastMigration();
        expect(await keys()).toEqual(before);
      } finally {
        warnings.mockRestore();
        logs.mockRestore();
        if (dataSource.isInitialized) await dataSource.destroy();
        await database.drop();
      }
    });
  });
}
