import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/**
 * The Idempotency-Key of imports: one row per (workspace, key), claimed by the first request that carries it and then
 * holding that request's answer for 24 hours, so a re-sent request gets the same answer on any replica.
 */
export class IdempotencyKeys1796600200000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.driver.options.type === 'mysql';
    const binary = (name: string, length: number, charset = 'utf8mb4'): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...(mysql ? { charset, collation: `${charset}_bin` } : {}),
    });
    const timestamp = (name: string): TableColumnOptions => ({ name, type: 'datetime', precision: 3 });
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { ...binary('workspace_id', 24), isPrimary: true },
          // Printable ASCII only (checked before it gets here), compared byte for byte.
          { ...binary('idempotency_key', 255, 'ascii'), isPrimary: true },
          binary('claim_id', 24),
          // SHA-256 (hex) of the file and the options: the same key with another request is refused.
          binary('fingerprint', 64),
          binary('state', 16),
          // The first request's answer (status, headers, body) as JSON, once it has one.
          {
            name: 'response',
            type: mysql ? 'longtext' : 'text',
            isNullable: true,
            ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } : {}),
          },
          timestamp('created_at'),
          timestamp('updated_at'),
          timestamp('expires_at'),
        ],
        indices: [new TableIndex({ name: 'IDX_idempotency_keys_expires_at', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
  }
}
