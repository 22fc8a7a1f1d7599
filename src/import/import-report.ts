/** The import's answer: what happened to every row, and what the file was read as. */
import type { CsvFile } from './csv/csv-reader';
import type { ImportResultDto } from './dto/import-result.dto';
import { REPORTED_ERRORS } from './history/import-history.service';
import type { ColumnMapping, ColumnTarget } from './mapping/column-mapping';
import type { RowCounts } from '../metrics/import-metrics';
import type { BatchOutcome } from './pipeline/lead-batch';
import { PREVIEW_ROWS } from './pipeline/preview';

/** `imported + updated + skipped + failed = csvInfo.totalRows` once every batch is in `outcomes`. */
export function buildReport(
  importId: string,
  file: CsvFile,
  columns: ColumnMapping,
  unusedMapping: string[],
  outcomes: readonly BatchOutcome[],
  dryRun: boolean,
): ImportResultDto {
  // In file order, whatever order the batches committed in (as the record lists them).
  const inOrder = [...outcomes].sort((a, b) => a.number - b.number);
  const importedLeadIds = inOrder.flatMap((outcome) => outcome.importedIds);
  const errors = outcomes
    .flatMap((outcome) => outcome.failed.map(({ row, line, email, error }) => ({ row, line, email, error })))
    .sort((a, b) => a.row - b.row);
  const warnings = outcomes.flatMap((outcome) => outcome.warnings).sort((a, b) => a.row - b.row);
  const { columns: reported, renamedColumns } = file.reportedColumns();
  // Null-prototype, so that a header such as `__proto__` stays plain data.
  const mapping = Object.create(null) as Record<string, ColumnTarget>;
  for (const header of reported) mapping[header] = columns.mapping[header];
  return {
    importId,
    dryRun,
    imported: sum(outcomes, (outcome) => outcome.imported),
    updated: sum(outcomes, (outcome) => outcome.updated),
    skipped: sum(outcomes, (outcome) => outcome.skipped),
    failed: errors.length,
    skippedReasons: {
      existing: sum(outcomes, (outcome) => outcome.skippedReasons.existing),
      duplicateInFile: sum(outcomes, (outcome) => outcome.skippedReasons.duplicateInFile),
      suppressed: sum(outcomes, (outcome) => outcome.skippedReasons.suppressed),
      protected: sum(outcomes, (outcome) => outcome.skippedReasons.protected),
    },
    flagged: {
      role: sum(outcomes, (outcome) => outcome.flagged.role),
      disposable: sum(outcomes, (outcome) => outcome.flagged.disposable),
      free: sum(outcomes, (outcome) => outcome.flagged.free),
    },
    importedLeadIds,
    errors: errors.slice(0, REPORTED_ERRORS),
    errorCount: errors.length,
    errorsTruncated: errors.length > REPORTED_ERRORS,
    warnings: warnings.slice(0, REPORTED_ERRORS),
    warningCount: warnings.length,
    warningsTruncated: warnings.length > REPORTED_ERRORS,
    csvInfo: {
      totalRows: file.totalRows,
      columns: reported,
      mapping,
      mappingDetails: columns.details.filter((decision) => mapping[decision.column] !== undefined),
      delimiter: file.reading.delimiter,
      encoding: file.reading.encoding,
      encodingConfidence: file.reading.encodingConfidence,
      headerLine: file.reading.headerLine,
      unusedMapping,
      renamedColumns,
      warnings: file.reading.warnings,
    },
    ...(dryRun ? { preview: inOrder.flatMap((outcome) => outcome.preview ?? []).slice(0, PREVIEW_ROWS) } : {}),
  };
}

function sum(outcomes: readonly BatchOutcome[], count: (outcome: BatchOutcome) => number): number {
  return outcomes.reduce((total, outcome) => total + count(outcome), 0);
}

/** Data rows an outcome accounts for. */
export function rowsOf(outcome: BatchOutcome): number {
  return outcome.imported + outcome.updated + outcome.skipped + outcome.failed.length;
}

/** Rows by outcome of these batches. */
export function rowCounts(outcomes: readonly BatchOutcome[]): RowCounts {
  const counts = { imported: 0, updated: 0, skipped: 0, failed: 0 };
  for (const outcome of outcomes) {
    counts.imported += outcome.imported;
    counts.updated += outcome.updated;
    counts.skipped += outcome.skipped;
    counts.failed += outcome.failed.length;
  }
  return counts;
}
