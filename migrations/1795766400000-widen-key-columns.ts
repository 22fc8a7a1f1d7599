import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lower-cased name can be longer than the name ("İ" lower-cases to two characters), so the lookup keys of tags
 * and custom fields get twice the room of their names; and an import's options hold the caller's mapping, which
 * may exceed TEXT's 64 KB for a wide file.
 *
 * MySQL only: SQLite enforces no lengths. Written as MODIFY because TypeORM's changeColumn drops and re-adds a
 * MySQL column whose length changes, losing its data and its index.
 */
export class WidenKeyColumns1795766400000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await resize(queryRunner, { tagKey: 200, fieldKey: 510, options: 'MEDIUMTEXT' });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await resize(queryRunner, { tagKey: 100, fieldKey: 255, options: 'TEXT' });
  }
}

async function resize(
  queryRunner: QueryRunner,
  size: { tagKey: number; fieldKey: number; options: 'TEXT' | 'MEDIUMTEXT' },
): Promise<void> {
  if (queryRunner.connection.driver.options.type !== 'mysql') return;
  const binary = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL';
  await queryRunner.query(`ALTER TABLE tags MODIFY name_key VARCHAR(${size.tagKey}) ${binary}`);
  await queryRunner.query(`ALTER TABLE custom_fields MODIFY name_key VARCHAR(${size.fieldKey}) ${binary}`);
  await queryRunner.query(
    `ALTER TABLE imports MODIFY options ${size.options} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL`,
  );
}
