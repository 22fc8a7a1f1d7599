/**
 * A worker thread that cleans rows for CleaningThread: the Normalizer's work, off the main thread. Only the pure
 * cleaning code is loaded here: no application module, no database.
 */
import { parentPort } from 'node:worker_threads';
import { NormalizeOptions, Normalizer, RawLead } from '../normalize/normalizer';

/** One batch's rows to clean. */
export interface CleaningRequest {
  id: number;
  rows: RawLead[];
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

parentPort?.on('message', ({ id, rows, cleanup, options }: CleaningRequest) => {
  let answer: CleaningAnswer;
  try {
    answer = { id, json: JSON.stringify(rows.map((row) => normalizer.normalize(row, cleanup, options))) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(answer);
});
