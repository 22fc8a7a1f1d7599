import { NormalizedLead, Normalizer, RawLead } from './normalizer';

const normalizer = new Normalizer();

export interface CleanupTask {
  rows: RawLead[];
  cleanup: boolean;
}

/** Runs in a worker thread of CleanupPool: cleans a batch of rows off the main thread. */
export default function clean({ rows, cleanup }: CleanupTask): NormalizedLead[] {
  return rows.map((row) => normalizer.normalize(row, cleanup));
}
