import type { MessagePort } from 'node:worker_threads';
import { AppError } from '../common/app-error';
import { FilePreparation, PreparationOptions } from './file-preparation';

const EMPTY = new Uint8Array(0);

/** An import's file, handed to a worker thread of PreparationPool for as long as the import runs. */
export interface PreparationTask {
  port: MessagePort;
  file: Uint8Array;
  options: PreparationOptions;
}

/** What the main thread asks: the next batch, or the cleaning of a batch's rows but the `known` ones. */
export type PreparationAsk = { op: 'take' } | { op: 'clean'; batch: number; known: string[] };

/** An ask with the number its answer comes back with. */
export type PreparationRequest = PreparationAsk & { id: number };

/** Answers travel as one JSON string: far cheaper than structured-cloning a thousand small objects. */
export type PreparationMessage =
  { op: 'opened'; file: string } | { id: number; json: string } | { id: number; message: string };

/** What the task ends with: nothing once the main thread closed the port, or why the file could not be opened. */
export type PreparationOutcome = { message: string; code?: string } | undefined;

/**
 * Runs in a worker thread: reads the file, then answers the main thread's requests on `port` until it closes the
 * port (the import is done). The main thread only writes: reading and cleaning no longer hold its event loop.
 */
export default async function prepare(task: PreparationTask): Promise<PreparationOutcome> {
  const { port, file, options } = task;
  task.file = EMPTY; // the reader keeps what it needs of the file, and only for as long as it needs it
  let preparation: FilePreparation;
  try {
    preparation = await FilePreparation.open(Buffer.from(file.buffer, file.byteOffset, file.byteLength), options);
  } catch (error) {
    port.close();
    // The outcome, not a thrown error: an error crossing threads keeps its message but loses its code.
    return {
      message: error instanceof Error ? error.message : String(error),
      code: error instanceof AppError ? error.code : undefined,
    };
  }
  port.postMessage({ op: 'opened', file: JSON.stringify(preparation.file) });
  return new Promise<undefined>((resolve) => {
    port.on('close', () => resolve(undefined));
    port.on('message', (request: PreparationRequest) => {
      try {
        const result =
          request.op === 'take'
            ? preparation.take()
            : preparation.rawRows(request.batch, new Set(request.known)).map((row) => preparation.clean(row));
        port.postMessage({ id: request.id, json: JSON.stringify(result) });
      } catch (error) {
        port.postMessage({ id: request.id, message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
}
