import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { CleanupTask } from './cleanup.worker';
import { NormalizedLead, Normalizer, RawLead } from './normalizer';

/**
 * Cleans rows in worker threads (Piscina), so that cleaning — mostly libphonenumber parsing — runs
 * beside the main thread's parsing and database work instead of after it. With
 * IMPORT_CLEANUP_THREADS=0 rows are cleaned on the main thread.
 */
@Injectable()
export class CleanupPool implements OnApplicationShutdown {
  private readonly pool?: Piscina<CleanupTask, NormalizedLead[]>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly normalizer: Normalizer,
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

  clean(rows: RawLead[], cleanup: boolean): Promise<NormalizedLead[]> {
    if (!this.pool || rows.length === 0) {
      return Promise.resolve(rows.map((row) => this.normalizer.normalize(row, cleanup)));
    }
    return this.pool.run({ rows, cleanup });
  }

  // After the HTTP server has closed, i.e. after running imports have drained (onModuleDestroy runs before that).
  async onApplicationShutdown(): Promise<void> {
    await this.pool?.destroy();
  }
}
