/**
 * What an import's committed batches wrote: counts and created lead ids per batch, and the failed rows one by one.
 * Each batch's entries are written in the batch's own transaction, so after a crash they say exactly what was written.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, MoreThan, Repository } from 'typeorm';
import type { FailedRow } from '../pipeline/lead-batch';
import type { ImportRowError } from './import-record.entity';
import { fromDatabaseDate } from '../../leads/sql';
import type { LedgerEntry } from '../undo/undo-ledger';
import { Transactions } from '../write/transactions';
import { ImportBatch, ImportLedgerEntry, ImportRowErrorEntry } from './import-batch.entity';

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

/** Rows per INSERT (5 or 6 values each): far below SQLite's variable limit and MySQL's packet size. */
const ROWS_PER_STATEMENT = 500;

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
    await manager.insert(ImportBatch, {
      importId,
      number: batch.number,
      imported: batch.imported,
      updated: batch.updated,
      skipped: batch.skipped,
      failed: batch.failed.length,
      importedLeadIds: [...batch.importedIds],
      writtenAt: written ? fromDatabaseDate(written.writtenAt) : null,
      undoneAt: null,
    });
    const ledger = written?.ledger ?? [];
    for (let start = 0; start < ledger.length; start += ROWS_PER_STATEMENT) {
      const entries = ledger.slice(start, start + ROWS_PER_STATEMENT);
      await manager.insert(
        ImportLedgerEntry,
        entries.map(({ leadId, previous, hadTag }) => ({
          importId,
          leadId,
          batchNumber: batch.number,
          previous,
          hadTag,
        })),
      );
    }
    for (let start = 0; start < batch.failed.length; start += ROWS_PER_STATEMENT) {
      const rows = batch.failed.slice(start, start + ROWS_PER_STATEMENT);
      await manager.insert(
        ImportRowErrorEntry,
        rows.map(({ row, line, email, error, cells }) => ({ importId, row, line, email, error, cells })),
      );
    }
  }

  /** The logs of batches that wrote no lead (kept until the report), in one transaction. */
  async recordUnlogged(importId: string, batches: readonly (BatchReport & { logged: boolean })[]): Promise<void> {
    const unlogged = batches.filter((batch) => !batch.logged);
    if (unlogged.length === 0) return;
    await this.transactions.run(async (manager) => {
      for (const batch of unlogged) await this.record(manager, importId, batch);
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

  /** The batches committed so far, in file order (a resumed import skips them). */
  committed(importId: string): Promise<ImportBatch[]> {
    return this.batches.find({ where: { importId }, order: { number: 'ASC' } });
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
