import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppProviders, CleanedFile, cleanFile, median, parseFloor } from './floors';
import { generateLeadsCsv, LeadFileSize } from './gen-leads';
import { log } from './progress';

export const ROWS = 50_000;
/** The server's upload limit: a file this size or larger is answered with 413. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const WARM_UP_ROWS = 1_000;

/** A generated file with everything measured on it once: its parse floor and its cleaned rows. */
export interface BenchFile {
  size: LeadFileSize;
  label: string;
  path: string;
  bytes: number;
  csv: Buffer;
  invalidEmails: number;
  repeatedEmails: number;
  cleaned: CleanedFile;
  /** Median of the parse floor runs. */
  parseMs: number;
  parseRuns: number[];
}

/** Generates the file into `dir`, then measures its parse floor and clean floor `reps` times each. */
export async function prepareFile(
  providers: AppProviders,
  dir: string,
  size: LeadFileSize,
  reps: number,
): Promise<BenchFile> {
  const generated = generateLeadsCsv({ rows: ROWS, size });
  if (generated.csv.length >= MAX_UPLOAD_BYTES) {
    throw new Error(
      `The ${size} file has ${generated.csv.length} bytes; the server takes fewer than ${MAX_UPLOAD_BYTES}`,
    );
  }
  const path = join(dir, `leads-${size}.csv`);
  writeFileSync(path, generated.csv);
  const parseRuns: number[] = [];
  for (let i = 0; i < reps; i++) {
    const parsed = await parseFloor(path);
    if (parsed.rows !== ROWS) throw new Error(`csv-parser read ${parsed.rows} rows of ${path}, expected ${ROWS}`);
    parseRuns.push(parsed.ms);
  }
  const cleaned = await cleanFile(providers, generated.csv, reps);
  const mib = (generated.csv.length / 1024 / 1024).toFixed(1);
  log(
    `  ${size}: ${generated.csv.length.toLocaleString('en-US')} bytes (${mib} MiB), ${cleaned.leads.length} distinct ` +
      `valid leads, ${cleaned.failed} failing rows, ${cleaned.duplicatesInFile} in-file duplicates; parse floor ` +
      `${parseRuns.map((ms) => ms.toFixed(0)).join(', ')} ms, clean floor ` +
      `${cleaned.cleanRuns.map((ms) => ms.toFixed(0)).join(', ')} ms (app read ${cleaned.readMs.toFixed(0)} ms)`,
  );
  return {
    size,
    label: size === 'small' ? '12 MB' : '50 MB',
    path,
    bytes: generated.csv.length,
    csv: generated.csv,
    invalidEmails: generated.invalidEmails,
    repeatedEmails: generated.repeatedEmails,
    cleaned,
    parseMs: median(parseRuns),
    parseRuns,
  };
}

/** A small file in the same style, imported once after each server start to warm the server up. */
export function warmUpCsv(): Buffer {
  return generateLeadsCsv({ rows: WARM_UP_ROWS, size: 'small', seed: 7 }).csv;
}
