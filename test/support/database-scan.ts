import type { DataSource } from 'typeorm';

/** Every table and column of the test database, and where a text occurs (case-insensitive) in any of them. */
export async function findEverywhere(dataSource: DataSource, text: string): Promise<string[]> {
  const mysql = dataSource.options.type === 'mysql';
  const columns = mysql
    ? await dataSource.query<Array<{ t: string; c: string }>>(
        'SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE()',
      )
    : await sqliteColumns(dataSource);
  if (columns.length < 50) throw new Error(`only ${columns.length} columns found: the scan would prove nothing`);
  const found: string[] = [];
  for (const { t, c } of columns) {
    const sql = mysql
      ? `SELECT COUNT(*) AS n FROM \`${t}\` WHERE LOWER(CAST(\`${c}\` AS CHAR)) LIKE ?`
      : `SELECT COUNT(*) AS n FROM "${t}" WHERE LOWER(CAST("${c}" AS TEXT)) LIKE ?`;
    const [{ n }] = await dataSource.query<Array<{ n: number | string }>>(sql, [`%${text.toLowerCase()}%`]);
    if (Number(n) > 0) found.push(`${t}.${c}`);
  }
  return found;
}

async function sqliteColumns(dataSource: DataSource): Promise<Array<{ t: string; c: string }>> {
  const tables = await dataSource.query<
    Array<{
      name: string;
    }>
  >("SELECT name FROM sqlite_master WHERE type = 'table'");
  const columns: Array<{ t: string; c: string }> = [];
  for (const { name } of tables) {
    const info = await dataSource.query<Array<{ name: string }>>(`PRAGMA table_info("${name}")`);
    for (const column of info) columns.push({ t: name, c: column.name });
  }
  return columns;
}
