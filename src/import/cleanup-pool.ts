import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { CleanupTask } from './cleanup.worker';
import { EventLoopTurns } from './event-loop-turns';
import { NormalizedLead, Normalizer, RawLead } from './normalizer';

/** Rows cleaned on the main thread in one turn of the event loop: ~5–10 ms. */
const ROWS_PER_TURN = 250;

/**
 * Cleans rows in worker threads (Piscina), so that cleaning — mostly libphonenumber parsing — runs
 * beside the main thread's parsing and database work instead of after it. With
 * IMPORT_CLEANUP_THREADS=0 (the default below 3 cores, where measurements showed no gain and
 * ~100 MB more memory per import) rows are cleaned on the main thread, a batch at a time.
 */
@Injectable()
export class CleanupPool implements OnApplicationShutdown {
  private readonly pool?: Piscina<CleanupTask, string>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly normalizer: Normalizer,
    private readonly turns: EventLoopTurns,
  ) {
    const threads = config.import.cleanupThreads;
    if (threads === 0) return;
    const compiled = __filename.endsWith('.js');
    this.pool = new Piscina({
      filename: join(__dirname, `cleanup.worker.${compiled ? 'js' : 'ts'}`),
      // Under ts-jest the worker is TypeScript too.
      execArgv: compiled ? [] : ['--require', 'ts-node/register/transpile-only'],
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 60_000,
    });
  }

  async clean(rows: RawLead[], cleanup: boolean): Promise<NormalizedLead[]> {
    if (!this.pool || rows.length === 0) {
      // A batch takes 20–40 ms here: a few hundred rows per turn of the event loop, so requests (health probes,
      // reads) get in between.
      const cleaned: NormalizedLead[] = [];
      for (let start = 0; start < rows.length; start += ROWS_PER_TURN) {
        await this.turns.next();
        for (const row of rows.slice(start, start + ROWS_PER_TURN))
          cleaned.push(this.normalizer.normalize(row, cleanup));
      }
      return cleaned;
    }
    return JSON.parse(await this.pool.run({ rows: JSON.stringify(rows), cleanup })) as NormalizedLead[];
  }

  // After the HTTP server has closed, i.e. after running imports have drained (onModuleDestroy runs before that).
  async onApplicationShutdown(): Promise<void> {
    await this.pool?.destroy();
  }
}
