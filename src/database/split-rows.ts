/** Splitting rows into multi-row statements: one rule for every bulk write. */

/** At most `maxRows` rows and (unless one row alone is larger) `maxBytes` per chunk, in row order. */
export function splitRows<T>(
  rows: readonly T[],
  maxRows: number,
  maxBytes: number,
  bytesOf: (row: T) => number,
): T[][] {
  const out: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = bytesOf(row);
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + size > maxBytes)) {
      out.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}
