import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions, TableForeignKey } from 'typeorm';

/**
 * An import's progress kept per committed batch (counts and created lead ids) and its row errors one per row, each
 * written in the batch's own transaction: a record never has to carry its whole report in one value, and after a
 * crash the batches say exactly what was written. Existing reports move out of the `imports` columns, which go. Failed
 * rows keep their cells and the record its file's header, for the error file; the ledger keeps what an import's
 * updates replaced, for undo.
 */
export class ImportBatches1795770000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.driver.options.type === 'mysql';
    const id = (name: string): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '24',
      ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}),
    });
    const text = (name: string, mysqlType: string): TableColumnOptions => ({
      name,
      type: mysql ? mysqlType : 'text',
      ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } : {}),
    });
    const int = (name: string): TableColumnOptions => ({ name, type: 'int' });
    await queryRunner.createTable(
      new Table({
        name: 'import_batches',
        columns: [
          { ...id('import_id'), isPrimary: true },
          { ...int('number'), isPrimary: true },
          int('imported'),
          int('updated'),
          int('skipped'),
          int('failed'),
          text('imported_lead_ids', 'mediumtext'),
          // When the batch wrote (its leads' updated_at), and when an undo took it back.
          { name: 'written_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'undone_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        foreignKeys: [cascadeToImport()],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'import_row_errors',
        columns: [
          { ...id('import_id'), isPrimary: true },
          { ...int('data_row'), isPrimary: true },
          int('line'),
          text('email', 'text'),
          text('error', 'text'),
          // The row's cells as read, for the error file to fix and upload again.
          { ...text('cells', 'longtext'), isNullable: true },
        ],
        foreignKeys: [cascadeToImport()],
      }),
    );
    // The undo ledger: per lead an import updated, the values it replaced (kept IMPORT_UNDO_DAYS).
    await queryRunner.createTable(
      new Table({
        name: 'import_ledger',
        columns: [
          { ...id('import_id'), isPrimary: true },
          { ...id('lead_id'), isPrimary: true },
          int('batch_number'),
          text('previous', 'longtext'),
          { name: 'had_tag', type: 'boolean' },
        ],
        foreignKeys: [cascadeToImport()],
      }),
    );
    await moveReports(queryRunner);
    // The file's header as read, the first line of the error file.
    await queryRunner.addColumn('imports', new TableColumn({ ...text('file_header', 'longtext'), isNullable: true }));
    await queryRunner.dropColumn('imports', 'errors');
    await queryRunner.dropColumn('imports', 'imported_lead_ids');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.driver.options.type === 'mysql' ? 'longtext' : 'text';
    const columns = ['errors', 'imported_lead_ids'];
    // Added nullable, filled, then made NOT NULL as they were: MySQL gives a text column no plain default.
    for (const name of columns)
      await queryRunner.addColumn('imports', new TableColumn({ name, type, isNullable: true }));
    await moveReportsBack(queryRunner);
    await queryRunner.dropColumn('imports', 'file_header');
    for (const name of columns) {
      await queryRunner.changeColumn('imports', name, new TableColumn({ name, type, isNullable: false }));
    }
    await queryRunner.dropTable('import_ledger');
    await queryRunner.dropTable('import_row_errors');
    await queryRunner.dropTable('import_batches');
  }
}

function cascadeToImport(): TableForeignKey {
  return new TableForeignKey({
    columnNames: ['import_id'],
    referencedTableName: 'imports',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
}

/** Reports written before this migration: their lead ids become batch 0, their errors rows of the new table. */
async function moveReports(queryRunner: QueryRunner): Promise<void> {
  const records = (await queryRunner.query(
    'SELECT id, imported, updated, skipped, failed, errors, imported_lead_ids FROM imports',
  )) as Array<Record<'id' | 'imported' | 'updated' | 'skipped' | 'failed' | 'errors' | 'imported_lead_ids', string>>;
  for (const record of records) {
    const ids = JSON.parse(record.imported_lead_ids || '[]') as string[];
    const errors = JSON.parse(record.errors || '[]') as Array<{
      row: number;
      line?: number;
      email: string;
      error: string;
    }>;
    await queryRunner.query(
      'INSERT INTO import_batches (import_id, number, imported, updated, skipped, failed, imported_lead_ids) ' +
        'VALUES (?, 0, ?, ?, ?, ?, ?)',
      [record.id, record.imported, record.updated, record.skipped, record.failed, JSON.stringify(ids)],
    );
    for (const error of errors) {
      await queryRunner.query(
        'INSERT INTO import_row_errors (import_id, data_row, line, email, error) VALUES (?, ?, ?, ?, ?)',
        [record.id, error.row, error.line ?? 0, error.email, error.error],
      );
    }
  }
}

async function moveReportsBack(queryRunner: QueryRunner): Promise<void> {
  const records = (await queryRunner.query('SELECT id FROM imports')) as Array<{ id: string }>;
  for (const { id } of records) {
    const batches = (await queryRunner.query(
      'SELECT imported_lead_ids FROM import_batches WHERE import_id = ? ORDER BY number',
      [id],
    )) as Array<{ imported_lead_ids: string }>;
    const ids = batches.flatMap((batch) => JSON.parse(batch.imported_lead_ids) as string[]);
    const errors = (await queryRunner.query(
      'SELECT data_row, line, email, error FROM import_row_errors WHERE import_id = ? ORDER BY data_row',
      [id],
    )) as Array<{ data_row: number; line: number; email: string; error: string }>;
    const report = errors.map(({ data_row, line, email, error }) => ({ row: data_row, line, email, error }));
    await queryRunner.query('UPDATE imports SET errors = ?, imported_lead_ids = ? WHERE id = ?', [
      JSON.stringify(report),
      JSON.stringify(ids),
      id,
    ]);
  }
}
