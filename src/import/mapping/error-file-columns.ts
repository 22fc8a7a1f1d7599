/**
 * An error file (GET /v1/leads/imports/:id/errors.csv) starts with the columns Row, Line and Error: uploaded again as
 * it is, those three describe the earlier import, not the leads, so they are skipped unless your mapping names them.
 */
const ERROR_FILE_COLUMNS = ['Row', 'Line', 'Error'];

export function withErrorFileColumnsSkipped(
  headers: readonly string[],
  userMapping: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!ERROR_FILE_COLUMNS.every((name, index) => headers[index] === name)) return userMapping;
  const mapping = Object.create(null) as Record<string, string>;
  for (const name of ERROR_FILE_COLUMNS) mapping[name] = 'skip';
  return Object.assign(mapping, userMapping);
}
