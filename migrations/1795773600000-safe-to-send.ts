import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions, TableIndex } from 'typeorm';

/**
 * Safe to send to: each lead gets a `status` (no import changes it) and quality `flags`; each workspace a suppression
 * list of SHA-256 email identities and plain domains, which an import checks before it writes a row.
 */
export class SafeToSend1795773600000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.driver.options.type === 'mysql';
    const key = (name: string, length: number): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}),
    });
    await queryRunner.addColumn('leads', new TableColumn({ ...key('status', 20), default: "'active'" }));
    // Comma-separated, e.g. "role,free": three short names that never contain one another, so LIKE finds one.
    await queryRunner.addColumn('leads', new TableColumn({ ...key('flags', 40), default: "''" }));
    await queryRunner.createIndex(
      'leads',
      new TableIndex({ name: 'IDX_leads_workspace_status', columnNames: ['workspace_id', 'status'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'suppressions',
        columns: [
          { ...key('id', 24), isPrimary: true },
          key('workspace_id', 24),
          // 'email' (value: hex SHA-256 of the email identity) or 'domain' (value: the domain, lower-cased).
          key('kind', 10),
          key('value', 255),
          key('reason', 20),
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({
            name: 'UQ_suppressions_workspace_value',
            columnNames: ['workspace_id', 'kind', 'value'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_suppressions_workspace_id', columnNames: ['workspace_id', 'id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('suppressions');
    await queryRunner.dropIndex('leads', 'IDX_leads_workspace_status');
    await queryRunner.dropColumn('leads', 'flags');
    await queryRunner.dropColumn('leads', 'status');
  }
}
