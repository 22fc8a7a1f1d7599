import { join } from 'node:path';
import { Worker, WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module `<file>` of `dir` (a `__dirname`), unref'd: the compiled `.js` in a build, the
 * `.ts` through ts-node under ts-jest, where this file is TypeScript too.
 */
export function workerThread(dir: string, file: string, options: Omit<WorkerOptions, 'execArgv'> = {}): Worker {
  const compiled = __filename.endsWith('.js');
  const worker = new Worker(join(dir, `${file}.${compiled ? 'js' : 'ts'}`), {
    ...options,
    execArgv: compiled ? [] : ['--require', 'ts-node/register/transpile-only'],
  });
  worker.unref();
  return worker;
}
