import { NormalizedLead, Normalizer, RawLead } from './normalizer';

const normalizer = new Normalizer();

/** Rows travel as one JSON string each way: far cheaper than structured-cloning thousands of small objects. */
export interface CleanupTask {
  rows: string;
  cleanup: boolean;
}

/** Runs in a worker thread of CleanupPool: cleans a batch of rows off the main thread. */
export default function clean({ rows, cleanup }: CleanupTask): string {
  const raw = JSON.parse(rows) as RawLead[];
  const cleaned: NormalizedLead[] = raw.map((row) => normalizer.normalize(row, cleanup));
  return JSON.stringify(cleaned);
}
