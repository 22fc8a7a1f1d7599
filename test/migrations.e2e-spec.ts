import { DataSource } from 'typeorm';
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
