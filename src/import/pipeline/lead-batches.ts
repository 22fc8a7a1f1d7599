/**
 * The pure stages of the pipeline: rows → batches of drafts (identity and in-file repeats decided from the email
 * alone) → cleaned batches. No database: the orchestrating ImportPipeline adds the lookups.
 */
import { newId } from '../../common/object-id';
import { truncate } from '../../common/text';
import type { CsvRow } from '../csv/column-layout';
import type { ColumnMapping } from '../mapping/column-mapping';
import { EMAIL_MAX_LENGTH } from '../normalize/email';
import type { NormalizedLead, Normalizer } from '../normalize/normalizer';
import type { LeadBatch } from './lead-batch';

/**
 * Groups the rows into batches of at most `size` drafts, in file order. A row fails here when it is unreadable or its
 * email is missing or invalid, and is a repeat when an earlier row has its identity.
 */
export async function* draftBatches(
  rows: AsyncIterable<CsvRow[]>,
  columns: ColumnMapping,
  normalizer: Normalizer,
  cleanup: boolean,
  size: number,
): AsyncGenerator<LeadBatch> {
  const emailColumn = columns.targets.indexOf('email');
  const seen = new Set<string>();
  let batch = newBatch(1);
  for await (const chunk of rows) {
    for (const row of chunk) {
      const emailCell = row.values[emailColumn];
      if (row.error !== undefined) {
        batch.failed.push({
          row: row.row,
          line: row.line,
          email: truncate(emailCell.trim(), EMAIL_MAX_LENGTH),
          error: row.error,
          cells: row.cells,
        });
        continue;
      }
      const email = normalizer.identify(emailCell, cleanup);
      if (!email.ok) {
        batch.failed.push({ row: row.row, line: row.line, email: email.email, error: email.error, cells: row.cells });
      } else if (seen.has(email.identity)) {
        batch.duplicates++;
      } else {
        seen.add(email.identity);
        batch.drafts.push({ row: row.row, line: row.line, identity: email.identity, source: row, id: newId() });
        if (batch.drafts.length === size) {
          yield batch;
          batch = newBatch(batch.number + 1);
        }
      }
    }
  }
  if (batch.drafts.length > 0 || batch.failed.length > 0 || batch.duplicates > 0) yield batch;
}

/** The values of the batch's rows to clean (drafts not `known`), in batch order. */
export function rowsToClean(batch: LeadBatch): string[][] {
  return batch.drafts.filter((draft) => !batch.known.has(draft.identity)).map((draft) => draft.source!.values);
}

/**
 * Gives the batch's drafts not `known` their cleaned leads (`cleaned` in the order of `rowsToClean`); a row whose
 * value breaks a limit moves to `failed`. Custom fields in the cleaned leads keep the file's names.
 */
export function applyCleaned(batch: LeadBatch, cleaned: readonly NormalizedLead[]): void {
  const drafts = [];
  let next = 0;
  for (const draft of batch.drafts) {
    if (!batch.known.has(draft.identity)) {
      const lead = cleaned[next++];
      if (!lead.ok) {
        const { row, line, source } = draft;
        batch.failed.push({ row, line, email: lead.email, error: lead.error, cells: source!.cells });
        continue;
      }
      draft.lead = lead;
    }
    drafts.push(draft);
  }
  batch.drafts = drafts;
}

function newBatch(number: number): LeadBatch {
  return { number, drafts: [], failed: [], duplicates: 0, known: new Set(), suppressed: 0 };
}
