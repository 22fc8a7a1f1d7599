import csvParser from 'csv-parser';
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import type * as CsvReaderModule from '../src/import/csv/csv-reader';
import type * as ColumnMappingModule from '../src/import/mapping/column-mapping';
import type * as MappingDetectorModule from '../src/import/mapping/mapping-detector';
import type * as NormalizerModule from '../src/import/normalize/normalizer';
import type * as PhoneModule from '../src/import/normalize/phone';
import type { NormalizedLead, NormalizeOptions, RawLead } from '../src/import/normalize/normalizer';
import type { LeadFieldValues } from '../src/leads/lead-fields';

const WARM_UP_ROWS = 1_000;

/** One distinct lead as an import of the file must store it (the first row of each email wins). */
export interface CleanedLead {
  identity: string;
  email: string;
  fields: LeadFieldValues;
  /** The custom fields as the `custom_fields` column stores them (a JSON object). */
  customJson: string;
}

/** A file read and cleaned by the app's own providers: what an import of it must write and report. */
export interface CleanedFile {
  leads: CleanedLead[];
  totalRows: number;
  failed: number;
  duplicatesInFile: number;
  /** For information: CsvReader.open + MappingDetector.detect + reading every row into a RawLead (one run). */
  readMs: number;
  /** Clean floor: Normalizer.normalize alone over the parsed rows, one run each. */
  cleanRuns: number[];
  cleanMs: number;
}

/** Parse floor: csv-parser alone over the file's bytes, counting rows. */
export async function parseFloor(file: string): Promise<{ ms: number; rows: number }> {
  let rows = 0;
  const started = performance.now();
  const parser = createReadStream(file)
    .pipe(csvParser())
    .on('data', () => rows++);
  await finished(parser);
  return { ms: performance.now() - started, rows };
}

/** The app's own providers that the floors run, taken from the build under test so both measure the same code. */
export interface AppProviders {
  CsvReader: typeof CsvReaderModule.CsvReader;
  MappingDetector: typeof MappingDetectorModule.MappingDetector;
  toRawLead: typeof ColumnMappingModule.toRawLead;
  Normalizer: typeof NormalizerModule.Normalizer;
  /** The import's default region for phones, from the first rows' countries (undefined in builds without it). */
  dominantRegion?: typeof PhoneModule.dominantRegion;
}

/** Loads the providers from a build's dist/ (compiled JavaScript, so no transpiling and no source drift). */
export function loadProviders(dist: string): AppProviders {
  // A path known only at run time, which an import statement cannot take.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = <T>(path: string) => require(join(dist, 'src', path)) as T;
  return {
    CsvReader: load<typeof CsvReaderModule>('import/csv/csv-reader').CsvReader,
    MappingDetector: load<typeof MappingDetectorModule>('import/mapping/mapping-detector').MappingDetector,
    toRawLead: load<typeof ColumnMappingModule>('import/mapping/column-mapping').toRawLead,
    Normalizer: load<typeof NormalizerModule>('import/normalize/normalizer').Normalizer,
    dominantRegion: optional(() => load<typeof PhoneModule>('import/normalize/phone').dominantRegion),
  };
}

function optional<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/**
 * The app's reader and mapping over the file: every data row as the Normalizer takes it (undefined: a bad row), and
 * the options an import without a `defaultCountry` field passes to it.
 */
async function readRawLeads(
  { CsvReader, MappingDetector, toRawLead, dominantRegion }: AppProviders,
  csv: Buffer,
): Promise<{ raws: Array<RawLead | undefined>; totalRows: number; options: NormalizeOptions }> {
  const file = await new CsvReader().open(csv);
  const columns = new MappingDetector().detect(file.headers, undefined, file.firstRows);
  const country = columns.targets.indexOf('country');
  const defaultRegion =
    dominantRegion && country >= 0 ? dominantRegion(file.firstRows.map((row) => row.values[country])) : undefined;
  const raws: Array<RawLead | undefined> = [];
  for await (const rows of file.rows()) {
    for (const row of rows) raws.push(row.error === undefined ? toRawLead(row.values, columns) : undefined);
  }
  return { raws, totalRows: file.totalRows, options: { defaultRegion } };
}

/**
 * Reads the file once (timed for information), then times the clean floor `reps` times: the app's Normalizer over
 * the already parsed rows, with cleanup on as the bench's imports ask. De-duplication is not timed.
 */
export async function cleanFile(providers: AppProviders, csv: Buffer, reps: number): Promise<CleanedFile> {
  const readStarted = performance.now();
  const { raws, totalRows, options } = await readRawLeads(providers, csv);
  const readMs = performance.now() - readStarted;

  const normalizer = new providers.Normalizer();
  // Untimed, as the servers' warm-up import: the floor is the Normalizer's speed once compiled, not its first run.
  for (const raw of raws.slice(0, WARM_UP_ROWS)) if (raw !== undefined) normalizer.normalize(raw, true, options);
  const cleanRuns: number[] = [];
  let results: Array<NormalizedLead | undefined> = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    results = new Array<NormalizedLead | undefined>(raws.length);
    for (let row = 0; row < raws.length; row++) {
      const raw = raws[row];
      results[row] = raw === undefined ? undefined : normalizer.normalize(raw, true, options);
    }
    cleanRuns.push(performance.now() - started);
  }

  const seen = new Set<string>();
  const leads: CleanedLead[] = [];
  let failed = 0;
  let duplicatesInFile = 0;
  for (const lead of results) {
    if (!lead?.ok) {
      failed++;
    } else if (seen.has(lead.identity)) {
      duplicatesInFile++;
    } else {
      seen.add(lead.identity);
      const customJson = JSON.stringify(Object.fromEntries(lead.custom));
      leads.push({ identity: lead.identity, email: lead.fields.email ?? '', fields: lead.fields, customJson });
    }
  }
  return { leads, totalRows, failed, duplicatesInFile, readMs, cleanRuns, cleanMs: median(cleanRuns) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
