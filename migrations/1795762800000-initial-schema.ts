import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * The first schema, written with the QueryRunner API so it runs on MySQL/MariaDB and SQLite.
 * On MySQL every string column is utf8mb4 (utf8mb4_unicode_ci), except identity keys, which are
 * utf8mb4_bin: the app lower-cases them itself and the database compares them byte for byte, so
 * "ß" and "ss" or "é" and "e" are never folded into one lead.
 */
export class InitialSchema1795762800000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.driver.options.type === 'mysql';
    const c = columns(mysql);

    await queryRunner.createTable(
      new Table({
        name: 'workspaces',
        columns: [c.id('id', { isPrimary: true }), c.string('name', 200), c.timestamp('created_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          c.id('id', { isPrimary: true }),
          c.key('email', 254),
          c.id('default_workspace_id', { isNullable: true }),
          c.timestamp('created_at'),
        ],
        indices: [new TableIndex({ name: 'UQ_users_email', columnNames: ['email'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'workspace_members',
        columns: [
          c.id('workspace_id', { isPrimary: true }),
          c.id('user_id', { isPrimary: true }),
          c.timestamp('created_at'),
        ],
        indices: [new TableIndex({ name: 'IDX_workspace_members_user', columnNames: ['user_id'] })],
        foreignKeys: [cascadeTo('workspaces', 'workspace_id'), cascadeTo('users', 'user_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          c.id('id', { isPrimary: true }),
          c.string('kind', 16),
          c.key('key_hash', 64),
          c.string('prefix', 24),
          c.id('workspace_id', { isNullable: true }),
          c.id('user_id', { isNullable: true }),
          c.string('name', 200),
          c.timestamp('created_at'),
          c.timestamp('revoked_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'UQ_api_keys_key_hash', columnNames: ['key_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_api_keys_workspace', columnNames: ['workspace_id'] }),
          new TableIndex({ name: 'IDX_api_keys_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [cascadeTo('workspaces', 'workspace_id'), cascadeTo('users', 'user_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'leads',
        columns: [
          c.id('id', { isPrimary: true }),
          c.id('workspace_id'),
          c.string('email', 320),
          c.key('email_key', 320),
          ...[
            'first_name',
            'last_name',
            'company_name',
            'job_title',
            'phone',
            'linkedin_url',
            'website',
            'city',
            'state',
            'country',
            'timezone',
          ].map((name) => c.string(name, 500, { isNullable: true })),
          c.text('notes', 'mediumtext', { isNullable: true }),
          c.text('custom_fields', 'longtext'),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_leads_workspace_email',
            columnNames: ['workspace_id', 'email_key'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_leads_workspace_id', columnNames: ['workspace_id', 'id'] }),
        ],
        foreignKeys: [cascadeTo('workspaces', 'workspace_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'tags',
        columns: [
          c.id('id', { isPrimary: true }),
          c.id('workspace_id'),
          c.string('name', 100),
          c.key('name_key', 100),
          c.timestamp('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_tags_workspace_name', columnNames: ['workspace_id', 'name_key'], isUnique: true }),
        ],
        foreignKeys: [cascadeTo('workspaces', 'workspace_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'lead_tags',
        columns: [c.id('lead_id', { isPrimary: true }), c.id('tag_id', { isPrimary: true }), c.id('workspace_id')],
        indices: [new TableIndex({ name: 'IDX_lead_tags_workspace_tag', columnNames: ['workspace_id', 'tag_id'] })],
        foreignKeys: [cascadeTo('leads', 'lead_id'), cascadeTo('tags', 'tag_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'custom_fields',
        columns: [
          c.id('id', { isPrimary: true }),
          c.id('workspace_id'),
          c.string('name', 255),
          c.key('name_key', 255),
          c.timestamp('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_custom_fields_workspace_name',
            columnNames: ['workspace_id', 'name_key'],
            isUnique: true,
          }),
        ],
        foreignKeys: [cascadeTo('workspaces', 'workspace_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'imports',
        columns: [
          c.id('id', { isPrimary: true }),
          c.id('workspace_id'),
          c.id('api_key_id', { isNullable: true }),
          c.string('status', 16),
          c.string('file_name', 255, { isNullable: true }),
          { name: 'file_bytes', type: 'int' },
          c.text('options', 'text'),
          ...['total_rows', 'imported', 'updated', 'skipped', 'failed'].map((name) => ({ name, type: 'int' })),
          c.text('csv_info', 'longtext', { isNullable: true }),
          c.text('errors', 'longtext'),
          c.text('imported_lead_ids', 'longtext'),
          c.text('failure_reason', 'text', { isNullable: true }),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
          c.timestamp('finished_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_imports_workspace_id', columnNames: ['workspace_id', 'id'] }),
          new TableIndex({ name: 'IDX_imports_status', columnNames: ['status'] }),
        ],
        foreignKeys: [cascadeTo('workspaces', 'workspace_id')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'imports',
      'custom_fields',
      'lead_tags',
      'tags',
      'leads',
      'api_keys',
      'workspace_members',
      'users',
      'workspaces',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}

type Extra = Partial<TableColumnOptions>;

function columns(mysql: boolean) {
  const unicode = mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } : {};
  const binary = mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
  return {
    id: (name: string, extra: Extra = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '24',
      ...binary,
      ...extra,
    }),
    string: (name: string, length: number, extra: Extra = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...unicode,
      ...extra,
    }),
    /** A string compared byte for byte: identities, hashes. */
    key: (name: string, length: number, extra: Extra = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...binary,
      ...extra,
    }),
    /** Long text: MySQL's TEXT holds only 64 KB, so bigger kinds are named there. */
    text: (name: string, mysqlType: 'text' | 'mediumtext' | 'longtext', extra: Extra = {}): TableColumnOptions => ({
      name,
      type: mysql ? mysqlType : 'text',
      ...unicode,
      ...extra,
    }),
    timestamp: (name: string, extra: Extra = {}): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: 3,
      ...extra,
    }),
  };
}

function cascadeTo(table: string, column: string): TableForeignKey {
  return new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
}
