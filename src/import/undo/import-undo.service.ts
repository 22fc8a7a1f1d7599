/**
 * Undo of an import (POST /v1/leads/imports/:id/undo): deletes the leads it created, puts back what it replaced in
 * the leads it updated, and removes its tag where it added it — batch by batch, each in one transaction, and never
 * over later work: a lead changed or deleted since the import is kept and reported.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThan, Repository } from 'typeorm';
import { AppError, ErrorCode, NotFoundError, ValidationError } from '../../common/app-error';
import { isObjectId } from '../../common/object-id';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { LeadSnapshots, StoredLead } from '../../leads/lead-snapshots.repository';
import { fromDatabaseDate, toDatabaseDate } from '../../leads/sql';
import { TagsService } from '../../leads/tags.service';
import { UndoResultDto } from '../dto/undo-result.dto';
import { ImportLedgerEntry } from '../history/import-batch.entity';
import { ImportRecord } from '../history/import-record.entity';
import { Transactions } from '../write/transactions';
import { restored } from './undo-ledger';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Conflicts listed in an answer; `kept` counts them all. */
const LISTED_CONFLICTS = 1_000;
const UNDOABLE = ['completed', 'failed', 'interrupted'] as const;

interface UndoBatch {
  number: number;
  importedLeadIds: string[];
  writtenAt: Date;
}

@Injectable()
export class ImportUndoService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ImportRecord) private readonly imports: Repository<ImportRecord>,
    private readonly snapshots: LeadSnapshots,
    private readonly tags: TagsService,
    private readonly transactions: Transactions,
  ) {}

  async undo(workspaceId: string, id: string): Promise<UndoResultDto> {
    const record = isObjectId(id) ? await this.imports.findOneBy({ id, workspaceId }) : null;
    if (!record) throw new NotFoundError(`Import "${id}" not found in this workspace.`);
    this.checkUndoable(record);
    await this.claim(record);
    const tagId = record.options.tag ? await this.tags.findId(workspaceId, record.options.tag) : null;
    const result: UndoResultDto = { deleted: 0, restored: 0, kept: 0, tagRemoved: 0, conflicts: [] };
    for (const batch of await this.batchesToUndo(id)) {
      await this.transactions.run((manager) => this.undoBatch(manager, record, batch, tagId, result));
    }
    const now = new Date();
    await this.imports.update({ id }, { status: 'undone', updatedAt: now, finishedAt: now });
    return result;
  }

  private checkUndoable(record: ImportRecord): void {
    if (record.status === 'previewed') {
      throw new ValidationError('This import was a preview (dryRun=true): it wrote nothing to undo.');
    }
    if (record.status === 'processing') throw new AppError(ErrorCode.CONFLICT, 'Import is still running');
    if (record.status === 'undone') throw new AppError(ErrorCode.CONFLICT, 'Import was already undone');
    const days = this.config.import.undoDays;
    if (days === 0 || record.createdAt.getTime() < Date.now() - days * DAY_MS) {
      throw new AppError(
        ErrorCode.GONE,
        days === 0
          ? 'Undo is turned off on this server (IMPORT_UNDO_DAYS=0).'
          : `Imports can be undone for ${days} days; this one is older.`,
      );
    }
  }

  /**
   * Only one undo runs per import: it moves the record to `undoing` from a status that may be undone, or takes over
   * an `undoing` one whose undo went silent (its process died); any other caller gets 409.
   */
  private async claim(record: ImportRecord): Promise<void> {
    const now = new Date();
    const stale = new Date(now.getTime() - this.config.import.staleAfterMs);
    const from =
      record.status === 'undoing'
        ? { id: record.id, status: 'undoing' as const, updatedAt: LessThan(stale) }
        : { id: record.id, status: In([...UNDOABLE]) };
    const result = await this.imports.update(from, { status: 'undoing', updatedAt: now });
    if (result.affected !== 1) throw new AppError(ErrorCode.CONFLICT, 'Import is being undone');
  }

  private async batchesToUndo(importId: string): Promise<UndoBatch[]> {
    const rows = await this.dataSource.query<
      Array<{ number: number; imported_lead_ids: string; written_at: string | Date }>
    >(
      'SELECT number, imported_lead_ids, written_at FROM import_batches ' +
        'WHERE import_id = ? AND undone_at IS NULL AND written_at IS NOT NULL ORDER BY number',
      [importId],
    );
    return rows.map((row) => ({
      number: Number(row.number),
      importedLeadIds: JSON.parse(row.imported_lead_ids) as string[],
      writtenAt: fromDatabaseDate(row.written_at),
    }));
  }

  private async undoBatch(
    manager: EntityManager,
    record: ImportRecord,
    batch: UndoBatch,
    tagId: string | null,
    result: UndoResultDto,
  ): Promise<void> {
    const { workspaceId } = record;
    const unchanged = (lead: StoredLead | undefined, leadId: string): lead is StoredLead => {
      const reason = !lead
        ? 'deleted after the import'
        : lead.updatedAt!.getTime() !== batch.writtenAt.getTime()
          ? 'changed after the import'
          : undefined;
      if (reason === undefined) return true;
      result.kept++;
      if (result.conflicts.length < LISTED_CONFLICTS) {
        result.conflicts.push({ leadId, email: lead?.columns.email ?? null, reason });
      }
      return false;
    };

    const created = byId(await this.snapshots.lockByIds(manager, workspaceId, batch.importedLeadIds));
    const toDelete = batch.importedLeadIds.filter((leadId) => unchanged(created.get(leadId), leadId));
    await this.snapshots.deleteByIds(manager, workspaceId, toDelete);
    result.deleted += toDelete.length;

    const entries = await manager.findBy(ImportLedgerEntry, { importId: record.id, batchNumber: batch.number });
    const updated = byId(
      await this.snapshots.lockByIds(
        manager,
        workspaceId,
        entries.map((entry) => entry.leadId),
      ),
    );
    const now = toDatabaseDate(new Date());
    const untag: string[] = [];
    for (const entry of entries) {
      const lead = updated.get(entry.leadId);
      if (!unchanged(lead, entry.leadId)) continue;
      await this.snapshots.overwrite(manager, workspaceId, restored(lead, entry.previous), now);
      result.restored++;
      if (tagId && !entry.hadTag) untag.push(entry.leadId);
    }
    if (tagId) await this.snapshots.untag(manager, tagId, untag);
    result.tagRemoved += tagId ? untag.length : 0;

    // The batch is undone, and what its updates replaced is no longer kept.
    await manager.query('UPDATE import_batches SET undone_at = ? WHERE import_id = ? AND number = ?', [
      now,
      record.id,
      batch.number,
    ]);
    await manager.delete(ImportLedgerEntry, { importId: record.id, batchNumber: batch.number });
    await manager.update(ImportRecord, { id: record.id }, { updatedAt: new Date() });
  }
}

function byId(leads: StoredLead[]): Map<string, StoredLead> {
  return new Map(leads.map((lead) => [lead.id, lead]));
}
