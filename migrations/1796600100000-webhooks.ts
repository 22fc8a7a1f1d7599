import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Webhooks: each workspace's signing secret, and the deliveries of import reports, one row per webhook with its
 * attempts, which the pollers of every replica read.
 */
export class Webhooks1796600100000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.driver.options.type === 'mysql';
    const binary = mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
    const key = (name: string, length: number): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...binary,
    });
    const text = (name: string, mysqlType: string): TableColumnOptions => ({
      name,
      type: mysql ? mysqlType : 'text',
      ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } : {}),
    });
    const time = (name: string, isNullable = false): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: 3,
      isNullable,
    });
    await queryRunner.createTable(
      new Table({
        name: 'webhook_secrets',
        columns: [{ ...key('workspace_id', 24), isPrimary: true }, key('secret', 64), time('created_at')],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['workspace_id'],
            referencedTableName: 'workspaces',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { ...key('id', 24), isPrimary: true },
          key('workspace_id', 24),
          key('import_id', 24),
          key('event', 40),
          key('url', 2048),
          // The report with the file's columns and mapping: more than TEXT's 64 KB for a wide file.
          text('body', 'longtext'),
          key('status', 16),
          { name: 'attempts', type: 'int' },
          time('next_attempt_at'),
          time('first_attempt_at', true),
          time('last_attempt_at', true),
          { name: 'last_status_code', type: 'int', isNullable: true },
          { ...text('last_error', 'text'), isNullable: true },
          time('created_at'),
          time('finished_at', true),
        ],
        indices: [
          new TableIndex({ name: 'IDX_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'IDX_webhook_deliveries_import', columnNames: ['workspace_id', 'import_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_secrets');
  }
}
