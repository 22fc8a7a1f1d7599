import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions, TableForeignKey } from 'typeorm';

/**
 * Async imports: the upload kept in the database in chunks (so any replica can run or resume it, and a crash loses
 * nothing), the request's form to run it with, whether the import was sync or async, its progress in rows, and the
 * error code of an import that failed before its rows.
 */
export class AsyncImports1796600000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.driver.options.type === 'mysql';
    const importId: TableColumnOptions = {
      name: 'import_id',
      type: 'varchar',
      length: '24',
      isPrimary: true,
      ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}),
    };
    await queryRunner.createTable(
      new Table({
        name: 'import_uploads',
        columns: [
          importId,
          { name: 'chunk', type: 'int', isPrimary: true },
          // A chunk is at most 1 MB: MEDIUMBLOB (16 MB) on MySQL, and far below its default max_allowed_packet.
          { name: 'data', type: mysql ? 'mediumblob' : 'blob' },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['import_id'],
            referencedTableName: 'imports',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    // Rows done so far of a running import, written after every batch. Its own table without a foreign key: an update
    // of the `imports` row would wait for the shared locks that the batches' inserts into import_batches hold on it.
    await queryRunner.createTable(
      new Table({
        name: 'import_progress',
        columns: [importId, { name: 'rows_done', type: 'int' }],
      }),
    );
    const text = mysql ? { type: 'longtext', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } : { type: 'text' };
    await queryRunner.addColumns('imports', [
      new TableColumn({ name: 'mode', type: 'varchar', length: '8', default: "'sync'" }),
      new TableColumn({ name: 'error_code', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'form', ...text, isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Records that never ran lose their upload: close them as failed so that none waits for ever.
    await queryRunner.query(
      "UPDATE imports SET status = 'failed', failure_reason = 'The import was never run.' WHERE status = 'queued'",
    );
    for (const name of ['form', 'error_code', 'mode']) await queryRunner.dropColumn('imports', name);
    await queryRunner.dropTable('import_progress');
    await queryRunner.dropTable('import_uploads');
  }
}
