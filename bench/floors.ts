import csvParser from 'csv-parser';
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { newId } from '../src/common/object-id';
import { CsvReader } from '../src/import/csv/csv-reader';
import { toRawLead } from '../src/import/mapping/column-mapping';
import { MappingDetector } from '../src/import/mapping/mapping-detector';
import { Normalizer } from '../src/import/normalize/normalizer';
import { COLUMNS, FIELD_COLUMNS } from '../src/leads/leads.repository';

/** The `leads` columns in table order, as the scratch tables of the write floors have them. */
export const LEAD_COLUMNS = COLUMNS;

/** One `leads` row's values in LEAD_COLUMNS order. */
export type LeadValues = Array<string | null>;

/** A file read and cleaned by the app's own providers: what an import of it must write and report. */
export interface CleanedFile {
  /** One row per distinct identity (the first row of each email wins), workspace id still blank. */
  rows: LeadValues[];
  totalRows: number;
  failed: number;
  duplicatesInFile: number;
  /** Floor (c): CsvReader + MappingDetector.detect + Normalizer.normalize over every row. */
  normalizeMs: number;
}

/** Floor (a): csv-parser alone over the file's bytes, counting rows. */
export async function parseFloor(file: string): Promise<{ ms: number; rows: number }> {
  let rows = 0;
  const started = performance.now();
  const parser = createReadStream(file)
    .pipe(csvParser())
    .on('data', () => rows++);
  await finished(parser);
  return { ms: performance.now() - started, rows };
}

/** Floor (c), timed, and the cleaned rows for the write floors (de-duplication and row building not timed). */
export async function cleanFile(csv: Buffer): Promise<CleanedFile> {
  const normalizer = new Normalizer();
  const started = performance.now();
  const file = await new CsvReader().open(csv);
  const columns = new MappingDetector().detect(file.headers, undefined, file.firstRows);
  const results = [];
  for await (const rows of file.rows()) {
    for (const row of rows) {
      results.push(row.error === undefined ? normalizer.normalize(toRawLead(row.values, columns), true) : undefined);
    }
  }
  const normalizeMs = performance.now() - started;

  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const seen = new Set<string>();
  const rows: LeadValues[] = [];
  let failed = 0;
  let duplicatesInFile = 0;
  for (const lead of results) {
    if (!lead?.ok) {
      failed++;
    } else if (seen.has(lead.identity)) {
      duplicatesInFile++;
    } else {
      seen.add(lead.identity);
      const fields = FIELD_COLUMNS.map(([field]) => lead.fields[field] ?? null);
      const custom = JSON.stringify(Object.fromEntries(lead.custom));
      rows.push([newId(), '', lead.fields.email ?? '', lead.identity, ...fields, custom, now, now]);
    }
  }
  return { rows, totalRows: file.totalRows, failed, duplicatesInFile, normalizeMs };
}

/** The rows with a real workspace id (the floors' tables keep the foreign key where the copy keeps it). */
export function forWorkspace(rows: LeadValues[], workspaceId: string): LeadValues[] {
  return rows.map((row) => {
    const copy = row.slice();
    copy[1] = workspaceId;
    return copy;
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
