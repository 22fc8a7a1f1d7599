/**
 * What the committed batches of an import being resumed did, as batch outcomes: the resumed run skips those batches
 * and its report adds them in, so that it equals the report of one uninterrupted run.
 */
import type { ImportBatch } from '../history/import-batch.entity';
import type { BatchOutcome, FailedRow } from '../pipeline/lead-batch';

/**
 * Failed rows are logged per row, not per batch: they all ride on the first outcome (the report sorts them by row).
 * The split of `skipped` by reason, quality flags and warnings are not logged: a resumed run counts them for its own
 * batches only (they are in a sync response, never in the import record).
 */
export function resumedOutcomes(batches: readonly ImportBatch[], failedRows: readonly FailedRow[]): BatchOutcome[] {
  return batches.map((batch, index) => ({
    number: batch.number,
    imported: batch.imported,
    importedIds: batch.importedLeadIds,
    updated: batch.updated,
    skipped: batch.skipped,
    skippedReasons: { existing: 0, duplicateInFile: 0, suppressed: 0, protected: 0 },
    flagged: { role: 0, disposable: 0, free: 0 },
    warnings: [],
    failed: index === 0 ? [...failedRows] : [],
    logged: true,
  }));
}
