import type { BatchOutcome, LeadBatch, LeadDraft } from '../pipeline/lead-batch';

/**
 * A batch's skipped rows by reason, and the flags and warnings of the rows it writes. Every draft not written is
 * either protected (update mode, a lead that is not active) or existing (skip mode); suppressed rows and in-file
 * repeats never became drafts of the batch.
 */
export function batchCounts(
  batch: LeadBatch,
  written: readonly LeadDraft[],
  protectedRows: number,
): Pick<BatchOutcome, 'skipped' | 'skippedReasons' | 'flagged' | 'warnings'> {
  const notWritten = batch.drafts.length - written.length;
  const skippedReasons = {
    existing: notWritten - protectedRows,
    duplicateInFile: batch.duplicates,
    suppressed: batch.suppressed,
    protected: protectedRows,
  };
  const flagged = { role: 0, disposable: 0, free: 0 };
  for (const draft of written) for (const flag of draft.flags ?? []) flagged[flag]++;
  const warnings = written
    .filter((draft) => draft.warning)
    .map((draft) => ({ row: draft.row, line: draft.line, email: draft.lead!.fields.email!, warning: draft.warning! }));
  return {
    skipped: notWritten + batch.duplicates + batch.suppressed,
    skippedReasons,
    flagged,
    warnings,
  };
}
