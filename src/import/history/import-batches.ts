/**
 * What an import's committed batches wrote: counts and created lead ids per batch, and the failed rows one by one.
 * Each batch's entries are written in the batch's own transaction, so after a crash they say exactly what was written.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, MoreThan, Repository } from 'typeorm';
import type { BatchOutcome, FailedRow } from '../pipeline/lead-batch';
import { resumedOutcomes } from '../queue/resumed-batches';
import type { ImportRowError } from './import-record.entity';
import { insertRows, SqlValue } from '../../leads/sql';
import type { LedgerEntry } from '../undo/undo-ledger';
import { Transactions } from '../write/transactions';
import { ImportBatch, ImportRowErrorEntry } from './import-batch.entity';

/** A committed batch's part of the report. */
export interface BatchReport {
  number: number;
  imported: number;
  importedIds: readonly string[];
  updated: number;
  skipped: number;
  failed: readonly FailedRow[];
}

export interface ImportTotals {
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
}

const BATCH_COLUMNS = [
  'import_id',
  'number',
  'imported',
  'updated',
  'skipped',
  'failed',
  'imported_lead_ids',
  'written_at',
  'undone_at',
];
const LEDGER_COLUMNS = ['import_id', 'lead_id', 'batch_number', 'previous', 'had_tag'];
const ROW_ERROR_COLUMNS = ['import_id', 'data_row', 'line', 'email', 'error', 'cells'];

@Injectable()
export class ImportBatches {
  constructor(
    @InjectRepository(ImportBatch) private readonly batches: Repository<ImportBatch>,
    @InjectRepository(ImportRowErrorEntry) private readonly rowErrors: Repository<ImportRowErrorEntry>,
    private readonly transactions: Transactions,
  ) {}

  /** On the batch's transaction manager; `written` when it wrote leads (a dry run writes none). */
  async record(
    manager: EntityManager,
    importId: string,
    batch: BatchReport,
    written?: { writtenAt: string; ledger: readonly LedgerEntry[] },
  ): Promise<void> {
    await insertRows(manager, 'import_batches', BATCH_COLUMNS, [batchRow(importId, batch, written?.writtenAt)]);
    const ledger = written?.ledger ?? [];
    await insertRows(
      manager,
      'import_ledger',
      LEDGER_COLUMNS,
      ledger.map(({ leadId, previous, hadTag }) => [importId, leadId, batch.number, JSON.stringify(previous), +hadTag]),
    );
    await insertRows(manager, 'import_row_errors', ROW_ERROR_COLUMNS, errorRows(importId, batch.failed));
  }

  /**
   * The logs of batches that wrote no lead (kept until the report), in one transaction: all their rows in a few
   * multi-row statements, not a round trip per batch.
   */
  async recordUnlogged(importId: string, batches: readonly (BatchReport & { logged: boolean })[]): Promise<void> {
    const unlogged = batches.filter((batch) => !batch.logged);
    if (unlogged.length === 0) return;
    await this.transactions.run(async (manager) => {
      const logs = unlogged.map((batch) => batchRow(importId, batch, undefined));
      await insertRows(manager, 'import_batches', BATCH_COLUMNS, logs);
      const failed = unlogged.flatMap((batch) => batch.failed);
      await insertRows(manager, 'import_row_errors', ROW_ERROR_COLUMNS, errorRows(importId, failed));
    });
  }

  async totals(importId: string): Promise<ImportTotals> {
    const sums = await this.batches
      .createQueryBuilder('batch')
      .select('COALESCE(SUM(batch.imported), 0)', 'imported')
      .addSelect('COALESCE(SUM(batch.updated), 0)', 'updated')
      .addSelect('COALESCE(SUM(batch.skipped), 0)', 'skipped')
      .addSelect('COALESCE(SUM(batch.failed), 0)', 'failed')
      .where('batch.importId = :importId', { importId })
      .getRawOne<Record<keyof ImportTotals, string | number>>();
    return {
      imported: Number(sums?.imported ?? 0),
      updated: Number(sums?.updated ?? 0),
      skipped: Number(sums?.skipped ?? 0),
      failed: Number(sums?.failed ?? 0),
    };
  }

  /** What the batches committed so far did, in file order: a resumed import skips them and reports them. */
  async committedOutcomes(importId: string): Promise<BatchOutcome[]> {
    const batches = await this.batches.find({ where: { importId }, order: { number: 'ASC' } });
    return resumedOutcomes(batches, await this.failedRows(importId));
  }

  async importedLeadIds(importId: string): Promise<string[]> {
    const batches = await this.batches.find({
      select: { importedLeadIds: true, number: true },
      where: { importId },
      order: { number: 'ASC' },
    });
    return batches.flatMap((batch) => batch.importedLeadIds);
  }

  /** Failed rows in row order, after row `afterRow`. */
  async errors(importId: string, afterRow: number, limit: number): Promise<ImportRowError[]> {
    const rows = await this.rowErrors.find({
      where: { importId, row: MoreThan(afterRow) },
      order: { row: 'ASC' },
      take: limit,
    });
    return rows.map(({ row, line, email, error }) => ({ row, line, email, error }));
  }

  /** Every failed row with its cells, in row order. */
  async failedRows(importId: string): Promise<FailedRow[]> {
    const rows = await this.rowErrors.find({ where: { importId }, order: { row: 'ASC' } });
    return rows.map(({ row, line, email, error, cells }) => ({ row, line, email, error, cells: cells ?? [] }));
  }

  errorCount(importId: string): Promise<number> {
    return this.rowErrors.countBy({ importId });
  }
}

function batchRow(importId: string, batch: BatchReport, writtenAt: string | undefined): SqlValue[] {
  return [
    importId,
    batch.number,
    batch.imported,
    batch.updated,
    batch.skipped,
    batch.failed.length,
    JSON.stringify(batch.importedIds),
    writtenAt ?? null,
    null,
  ];
}

function errorRows(importId: string, failed: readonly FailedRow[]): SqlValue[][] {
  return failed.map(({ row, line, email, error, cells }) => [
    importId,
    row,
    line,
    email,
    error,
    cells === undefined ? null : JSON.stringify(cells),
  ]);
}
