/**
 * The import's batches, prepared one after the other while earlier ones are being written: rows from the file,
 * drafts by email, suppressed emails dropped, the workspace's existing leads looked up (skip mode), rows cleaned and
 * screened (quality flags), new custom fields registered.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CustomFieldsService } from '../../custom-fields/custom-fields.service';
import { LeadsRepository } from '../../leads/leads.repository';
import { SuppressionsRepository } from '../../suppressions/suppressions.repository';
import type { CsvFile } from '../csv/csv-reader';
import { ColumnMapping, toRawLead } from '../mapping/column-mapping';
import { NormalizedLead, NormalizeOptions, Normalizer } from '../normalize/normalizer';
import type { WritePlan } from '../write/batch-writer';
import { EventLoopTurns } from '../write/event-loop-turns';
import type { LeadBatch } from './lead-batch';
import { CleaningThread } from './cleaning-thread';
import { applyCleaned, draftBatches, rowsToClean } from './lead-batches';
import { PREVIEW_ROWS, previewRow } from './preview';
import { dropSuppressed, ScreeningOptions, screenBatch } from './screening';

export interface PipelinePlan extends WritePlan, ScreeningOptions {
  cleanup: boolean;
  normalize: NormalizeOptions;
  /** Skip mode into a workspace that had leads: each batch's stored emails are read before it is cleaned. */
  lookUpExisting: boolean;
  /** The workspace had a suppression list when the import started: each batch's emails are checked against it. */
  lookUpSuppressed: boolean;
  /** A resumed import's batches already committed: read (for the in-file repeats they hold), never written again. */
  committedBatches?: ReadonlySet<number>;
}

/** Batches being looked up and cleaned while the caller writes the one before them. */
const BATCHES_AHEAD = 2;
const ROWS_PER_TURN = 250;

interface PreparedBatch {
  batch: LeadBatch;
  cleaned: NormalizedLead[];
}

/** The promise, marked handled: it is awaited only when its turn comes, and a rejection must not crash the process. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

@Injectable()
export class ImportPipeline {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly normalizer: Normalizer,
    private readonly leads: LeadsRepository,
    private readonly customFields: CustomFieldsService,
    private readonly suppressions: SuppressionsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cleaner: CleaningThread,
    private readonly turns: EventLoopTurns,
  ) {}

  /**
   * Batches are prepared ahead (looked up, then cleaned — in the cleaning thread on SQLite, see CleaningThread) while
   * the caller writes earlier ones: a lookup's round trip to the database overlaps reading the next batch.
   */
  async *batches(file: CsvFile, columns: ColumnMapping, plan: PipelinePlan): AsyncGenerator<LeadBatch> {
    const { batchSize } = this.config.import;
    const drafts = draftBatches(file.rows(), columns, this.normalizer, plan.cleanup, batchSize);
    const preview = { left: plan.dryRun ? PREVIEW_ROWS : 0 };
    const ahead: Array<Promise<PreparedBatch>> = [];
    for (;;) {
      // Reading a batch is CPU work: it takes an event-loop turn of its own (as do cleaning and building statements),
      // so a request waits for one such step at most, not for several that happened to be ready together.
      await this.turns.next();
      let next = await drafts.next();
      while (!next.done && plan.committedBatches?.has(next.value.number)) next = await drafts.next();
      if (!next.done) ahead.push(settledLater(this.prepare(next.value, columns, plan)));
      if (ahead.length > BATCHES_AHEAD || (next.done && ahead.length > 0)) {
        const { batch, cleaned } = await ahead.shift()!;
        yield await this.finish(batch, cleaned, columns, plan, preview);
      }
      if (next.done && ahead.length === 0) return;
    }
  }

  private async prepare(batch: LeadBatch, columns: ColumnMapping, plan: PipelinePlan): Promise<PreparedBatch> {
    await this.lookUp(batch, plan);
    const rows = rowsToClean(batch);
    // A preview shows each row's source values, which only the main thread keeps. Rows the workspace has are never
    // cleaned: a batch of them needs no trip to the thread.
    if (this.cleaner.enabled && !plan.dryRun && rows.length > 0) {
      return { batch, cleaned: await this.cleaner.clean(rows, columns.targets, plan.cleanup, plan.normalize) };
    }
    // On the main thread, a few hundred rows per event-loop turn: requests (health probes) wait for no more.
    const cleaned: NormalizedLead[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_TURN) {
      await this.turns.next();
      for (const row of rows.slice(start, start + ROWS_PER_TURN)) {
        cleaned.push(this.normalizer.normalize(toRawLead(row, columns), plan.cleanup, plan.normalize));
      }
    }
    return { batch, cleaned };
  }

  /** Suppressed rows are dropped; in skip mode, the emails the workspace has are marked known (never cleaned). */
  private async lookUp(batch: LeadBatch, plan: PipelinePlan): Promise<void> {
    const manager = this.dataSource.manager;
    const identities = batch.drafts.map((draft) => draft.identity);
    const [suppressed, known] = await Promise.all([
      plan.lookUpSuppressed ? this.suppressions.suppressedAmong(manager, plan.workspaceId, identities) : undefined,
      plan.lookUpExisting ? this.leads.existingKeys(manager, plan.workspaceId, identities) : undefined,
    ]);
    if (suppressed) dropSuppressed(batch, suppressed);
    if (known) batch.known = known;
  }

  private async finish(
    batch: LeadBatch,
    cleaned: NormalizedLead[],
    columns: ColumnMapping,
    plan: PipelinePlan,
    preview: { left: number },
  ): Promise<LeadBatch> {
    applyCleaned(batch, cleaned);
    screenBatch(batch, plan);
    if (plan.dryRun) {
      batch.preview = batch.drafts
        .filter((draft) => draft.lead)
        .slice(0, preview.left)
        .map((draft) => previewRow(draft, columns));
      preview.left -= batch.preview.length;
    } else {
      await this.registerCustomFields(batch, plan);
    }
    // What is written is the lead: let the rows go, but for updates with custom fields, which may still fail (their
    // lead's custom fields may outgrow the limit) and then need their cells for the error file.
    for (const draft of batch.drafts) {
      if (plan.skipDuplicates || plan.dryRun || !draft.lead?.custom.length) draft.source = undefined;
    }
    return batch;
  }

  /** Custom fields get registered as they first hold a value, under the name the workspace already uses. */
  private async registerCustomFields(batch: LeadBatch, plan: PipelinePlan): Promise<void> {
    const names = new Set<string>();
    for (const { lead } of batch.drafts) {
      for (const [name] of lead?.custom ?? []) if (!plan.customNames.has(name)) names.add(name);
    }
    if (names.size === 0) return;
    const canonical = await this.customFields.register(plan.workspaceId, [...names]);
    for (const [name, stored] of canonical) plan.customNames.set(name, stored);
  }
}
