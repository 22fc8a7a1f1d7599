/**
 * A worker thread that cleans rows for CleaningThread: the Normalizer's work, off the main thread. Only the pure
 * cleaning code is loaded here: no application module, no database.
 */
import { parentPort } from 'node:worker_threads';
import { ColumnTarget, toRawLead } from '../mapping/column-mapping';
import { NormalizeOptions, Normalizer } from '../normalize/normalizer';

/** One batch's rows to clean, as their values by column: plain string arrays are cheaper to send than objects. */
export interface CleaningRequest {
  id: number;
  rows: string[][];
  /** The column mapping's targets, by column. */
  targets: ColumnTarget[];
  cleanup: boolean;
  options: NormalizeOptions;
}

/** The cleaned rows as one JSON string: cheaper to send than a thousand small objects. */
export interface CleaningAnswer {
  id: number;
  json?: string;
  error?: string;
}

const normalizer = new Normalizer();

parentPort?.on('message', ({ id, rows, targets, cleanup, options }: CleaningRequest) => {
  let answer: CleaningAnswer;
  try {
    const cleaned = rows.map((values) => normalizer.normalize(toRawLead(values, { targets }), cleanup, options));
    answer = { id, json: JSON.stringify(cleaned) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(answer);
});
