/** One batch, inside its transaction: insert new leads, merge or skip stored ones, tag them, log the batch. */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { formatBytes } from '../../common/text';
import { CUSTOM_FIELDS_MAX_BYTES, customFieldsFit } from '../../custom-fields/custom-field-limits';
import { FIELD_COLUMNS, LeadRow, LeadsRepository, LockedLead } from '../../leads/leads.repository';
import { toDatabaseDate } from '../../leads/sql';
import { LeadSnapshots, LockedSnapshot, SnapshotColumns } from '../../leads/lead-snapshots.repository';
import { ImportBatches } from '../history/import-batches';
import { LedgerEntry, replacedValues, replacesNothing } from '../undo/undo-ledger';
import type { AcceptedLead } from '../normalize/normalizer';
import type { BatchOutcome, FailedRow, LeadBatch, LeadDraft } from '../pipeline/lead-batch';
import { flagsToColumn } from '../../leads/lead-status';
import { batchCounts } from './batch-counts';
import { EventLoopTurns } from './event-loop-turns';

/** What every batch of one import is written with. */
export interface WritePlan {
  importId: string;
  workspaceId: string;
  skipDuplicates: boolean;
  tagId: string | null;
  /** A file's custom-field name → the name the workspace stores it under (see CustomFieldsService.register). */
  customNames: Map<string, string>;
  /** Decide everything, write no lead: only the batch's log. */
  dryRun: boolean;
  /** Keep what updates replace, so that the import can be undone (IMPORT_UNDO_DAYS > 0). */
  keepLedger: boolean;
}

@Injectable()
export class BatchWriter {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly snapshots: LeadSnapshots,
    private readonly batchLog: ImportBatches,
    private readonly turns: EventLoopTurns,
  ) {}

  /** Whether the batch writes a lead: if not (every row known, or a preview), it needs no transaction. */
  writesLeads(batch: LeadBatch, plan: WritePlan): boolean {
    return !plan.dryRun && batch.drafts.some((draft) => !batch.known.has(draft.identity));
  }

  /** A batch that writes no lead, outside any transaction: its log waits for the report (see ImportBatches). */
  settle(manager: EntityManager, batch: LeadBatch, plan: WritePlan): Promise<BatchOutcome> {
    if (plan.dryRun) return this.preview(manager, batch, plan);
    const counts = batchCounts(batch, [], 0);
    return Promise.resolve({ ...EMPTY_WRITE, ...counts, number: batch.number, failed: batch.failed, logged: false });
  }

  /**
   * Skips use the batch's `known` identities; if an insert then collides with a concurrent import, the retry
   * (attempt > 1) reads again inside the transaction and skips what it finds as well.
   */
  async write(manager: EntityManager, batch: LeadBatch, plan: WritePlan, attempt: number): Promise<BatchOutcome> {
    const identities = batch.drafts.map((draft) => draft.identity);
    const written = writtenColumns(batch);
    let known = batch.known;
    // Update mode: the stored leads, locked with their status (only active ones are updated), their custom fields if
    // the batch has some (its updates merge theirs over them) and, for the undo ledger, the values it may replace.
    let stored = new Map<string, LockedLead>();
    let before = new Map<string, LockedSnapshot>();
    if (!plan.skipDuplicates && plan.keepLedger) {
      stored = before = await this.snapshots.lockStored(manager, plan.workspaceId, identities, written);
    } else if (!plan.skipDuplicates) {
      stored = await this.leads.lockExisting(manager, plan.workspaceId, identities, written.customFields);
    } else if (attempt > 1) {
      const found = await this.leads.existingKeys(manager, plan.workspaceId, identities);
      known = new Set([...known, ...found]);
    }
    const guarded = new Set<string>();
    for (const [identity, lead] of stored) if (lead.status !== 'active') guarded.add(identity);
    // On MySQL batches run side by side: building a statement waits for an event-loop turn of its own.
    await this.turns.heavyStep(manager);
    // Sorted identities make concurrent batches take their row locks in the same order: fewer deadlocks.
    const toWrite = batch.drafts
      .filter((draft) => !known.has(draft.identity) && !guarded.has(draft.identity))
      .sort(byIdentity);
    const now = toDatabaseDate(new Date());
    const inserts: LeadRow[] = [];
    const updates: LeadRow[] = [];
    for (const draft of toWrite) {
      const storedId = stored.get(draft.identity)?.id;
      const row = toLeadRow(storedId ?? draft.id, draft, plan.customNames);
      (storedId ? updates : inserts).push(row);
    }
    // Custom fields are merged here, not by the database: MariaDB's JSON_MERGE_PATCH takes time in the square of the keys.
    const merged = written.customFields ? updates.map((row) => withStoredCustomFields(row, stored)) : updates;
    // The row limit holds each row, not a lead that update after update merges new custom fields into: a lead that
    // would outgrow what one SQL statement carries fails the row instead.
    const tooLarge = new Set(merged.filter((row) => !customFieldsFit(row.customFields)).map((row) => row.emailKey));
    const fitting = tooLarge.size === 0 ? merged : merged.filter((row) => !tooLarge.has(row.emailKey));
    const ledger = plan.keepLedger ? await this.ledger(manager, fitting, before, plan) : [];
    // Building the statements is a step of its own: the ledger may have taken most of this turn.
    if (ledger.length > 0) await this.turns.heavyStep(manager);
    await this.leads.insert(manager, plan.workspaceId, inserts, now);
    await this.leads.update(manager, plan.workspaceId, fitting, now, written.customFields);
    if (plan.tagId) {
      const tagged = [...inserts, ...fitting].map((lead) => lead.id);
      await this.leads.tag(manager, plan.workspaceId, plan.tagId, tagged);
    }
    const inserted = new Set(inserts.map((lead) => lead.id));
    const failed =
      tooLarge.size === 0 ? batch.failed : [...batch.failed, ...tooLargeRows(toWrite, tooLarge)].sort(byRow);
    const kept = (draft: LeadDraft) => !tooLarge.has(draft.identity);
    const outcome: BatchOutcome = {
      number: batch.number,
      imported: inserts.length,
      importedIds: batch.drafts.filter((draft) => inserted.has(draft.id)).map((draft) => draft.id),
      updated: fitting.length,
      ...batchCounts({ ...batch, drafts: batch.drafts.filter(kept) }, toWrite.filter(kept), guarded.size),
      failed,
      logged: true,
    };
    // In the same transaction: after a crash, the import's batches say exactly what was written.
    await this.batchLog.record(manager, plan.importId, outcome, { writtenAt: now, ledger });
    return outcome;
  }

  /**
   * What the updates replace, and whether each lead had the import's tag already (read before tagging). A lead the
   * update leaves as it was (same values, and the tag already there or none given) has nothing to undo: no entry.
   */
  private async ledger(
    manager: EntityManager,
    updates: LeadRow[],
    before: Map<string, LockedSnapshot>,
    plan: WritePlan,
  ): Promise<LedgerEntry[]> {
    const ids = updates.map((row) => row.id);
    const tagged = plan.tagId ? await this.snapshots.taggedAmong(manager, plan.tagId, ids) : new Set<string>();
    const entries: LedgerEntry[] = [];
    for (const row of updates) {
      const previous = replacedValues(before.get(row.emailKey)!, row);
      const hadTag = tagged.has(row.id);
      if (replacesNothing(previous) && (plan.tagId === null || hadTag)) continue;
      entries.push({ leadId: row.id, previous, hadTag });
    }
    return entries;
  }

  /** What writing would do, from reads alone: the stored leads of the batch's emails decide imported or updated. */
  private async preview(manager: EntityManager, batch: LeadBatch, plan: WritePlan): Promise<BatchOutcome> {
    const identities = batch.drafts.map((draft) => draft.identity);
    const guarded = plan.skipDuplicates
      ? new Set<string>()
      : await this.leads.protectedKeys(manager, plan.workspaceId, identities);
    const toWrite = batch.drafts.filter((draft) => !batch.known.has(draft.identity) && !guarded.has(draft.identity));
    const stored = plan.skipDuplicates
      ? new Set<string>()
      : await this.leads.existingKeys(
          manager,
          plan.workspaceId,
          toWrite.map((draft) => draft.identity),
        );
    const updated = toWrite.filter((draft) => stored.has(draft.identity)).length;
    const outcome: BatchOutcome = {
      number: batch.number,
      imported: toWrite.length - updated,
      importedIds: [],
      updated,
      ...batchCounts(batch, toWrite, guarded.size),
      // A preview keeps no row data beyond its report.
      failed: batch.failed.map(({ cells: _cells, ...error }) => error),
      preview: batch.preview,
      logged: false,
    };
    return outcome;
  }
}

const EMPTY_WRITE = { imported: 0, importedIds: [], updated: 0 };

function byRow(a: FailedRow, b: FailedRow): number {
  return a.row - b.row;
}

function byIdentity(a: LeadDraft, b: LeadDraft): number {
  return a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0;
}

/** The columns the batch's cleaned leads fill: the only ones its updates can replace. */
function writtenColumns(batch: LeadBatch): SnapshotColumns {
  const fields = FIELD_COLUMNS.filter(([field]) => batch.drafts.some((draft) => draft.lead?.fields[field] != null));
  return {
    fields: fields.map(([, column]) => column),
    customFields: batch.drafts.some((draft) => (draft.lead?.custom.length ?? 0) > 0),
  };
}

/** The repository reads fields by column, so the cleaned fields are passed as they are. */
function toLeadRow(id: string, draft: LeadDraft, customNames: Map<string, string>): LeadRow {
  const lead: AcceptedLead = draft.lead!;
  // Prototype-less, so a custom field named `__proto__` is just a key.
  const customFields = Object.create(null) as Record<string, string>;
  for (const [name, value] of lead.custom) customFields[customNames.get(name) ?? name] = value;
  const flags = flagsToColumn(draft.flags ?? []);
  return { id, email: lead.fields.email!, emailKey: lead.identity, fields: lead.fields, customFields, flags };
}

/** Update-mode rows whose lead's custom fields would outgrow CUSTOM_FIELDS_MAX_BYTES: they fail, with their cells. */
function tooLargeRows(drafts: readonly LeadDraft[], identities: ReadonlySet<string>): FailedRow[] {
  return drafts
    .filter((draft) => identities.has(draft.identity))
    .map(({ row, line, lead, source }) => ({
      row,
      line,
      email: lead!.fields.email!,
      error: TOO_LARGE,
      cells: source?.cells,
    }));
}

const TOO_LARGE = `The lead's custom fields would be larger than ${formatBytes(CUSTOM_FIELDS_MAX_BYTES)}`;

/** The row with its custom fields over the stored lead's (read under the batch's lock): its keys win, others stay. */
function withStoredCustomFields(row: LeadRow, stored: Map<string, LockedLead>): LeadRow {
  const storedFields = stored.get(row.emailKey)?.customFields;
  if (!storedFields) throw new Error(`The stored custom fields of lead ${row.id} were not read`);
  // Prototype-less, so a custom field named `__proto__` is just a key.
  const customFields = Object.assign(Object.create(null) as Record<string, string>, storedFields, row.customFields);
  return { ...row, customFields };
}
