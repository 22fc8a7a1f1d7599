/**
 * What imports do: rows by outcome, how long imports take, how many run in this process, how many wait in the queue
 * (read from the database at scrape time, so every replica reports the same number) and how long they waited.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** How the client gets its answer: in the upload's response, or later from the import record. */
export type ImportMode = 'sync' | 'async';
/** How an import ended: its record's final status. */
export type ImportEnd = 'completed' | 'previewed' | 'failed' | 'interrupted';

export interface RowCounts {
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
}

const OUTCOMES = ['imported', 'updated', 'skipped', 'failed'] as const;

@Injectable()
export class ImportMetrics {
  private readonly logger = new Logger(ImportMetrics.name);
  private readonly rows: Counter<'outcome'>;
  private readonly duration: Histogram<'mode' | 'status'>;
  private readonly running: Gauge;
  private readonly waited: Histogram;

  constructor(registry: Registry, @InjectDataSource() dataSource: DataSource) {
    const registers = [registry];
    this.rows = new Counter({
      name: 'leadport_import_rows_total',
      help: 'Data rows of imports (previews excluded) by outcome: imported, updated, skipped, failed.',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of OUTCOMES) this.rows.inc({ outcome }, 0);
    this.duration = new Histogram({
      name: 'leadport_import_duration_seconds',
      help: 'Time an import ran, from its record to its end, by mode (sync, async) and final status.',
      labelNames: ['mode', 'status'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600],
      registers,
    });
    this.running = new Gauge({
      name: 'leadport_imports_running',
      help: 'Imports running in this process.',
      registers,
    });
    const logger = this.logger;
    new Gauge({
      name: 'leadport_imports_queued',
      help: 'Imports waiting to run (status queued), counted in the database: the same on every replica.',
      registers,
      async collect() {
        try {
          const [row] = await dataSource.query<Array<{ queued: number | string }>>(
            'SELECT COUNT(*) AS queued FROM imports WHERE status = ?',
            ['queued'],
          );
          this.set(Number(row.queued));
        } catch (error) {
          // A scrape still answers with every other metric; this one keeps its last value.
          logger.warn({ err: error }, 'Could not count the queued imports');
        }
      },
    });
    this.waited = new Histogram({
      name: 'leadport_import_queue_wait_seconds',
      help: 'Time an async import waited in the queue before a worker started it.',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
  }

  /** An import starts running in this process; call the returned function once with how it ended. */
  started(mode: ImportMode): (status: ImportEnd, counts: RowCounts) => void {
    const stopTimer = this.duration.startTimer({ mode });
    this.running.inc();
    let ended = false;
    return (status, counts) => {
      if (ended) return;
      ended = true;
      this.running.dec();
      stopTimer({ status });
      if (status === 'previewed') return; // a preview writes nothing
      for (const outcome of OUTCOMES) this.rows.inc({ outcome }, counts[outcome]);
    };
  }

  /** An async import left the queue after waiting this long (the job runner reports it). */
  queueWait(seconds: number): void {
    this.waited.observe(seconds);
  }
}
