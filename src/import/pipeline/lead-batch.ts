/** The import's row and batch types, from the file's rows to the rows written. */
import type { CsvRow } from '../csv/column-layout';
import type { ImportRowError } from '../history/import-record.entity';
import type { LeadFlag } from '../../leads/lead-status';
import type { AcceptedLead } from '../normalize/normalizer';
import type { PreviewRow } from './preview';

/** A row to write: the first of its email in the file, with a valid email; cleaned unless skipped as existing. */
export interface LeadDraft {
  row: number;
  line: number;
  /** The email's de-duplication identity. */
  identity: string;
  /** The row as read, until it is cleaned. */
  source?: CsvRow;
  /** The cleaned lead (rows skipped as existing are never cleaned). */
  lead?: AcceptedLead;
  /** The lead's id if it is inserted: made in file order, so ids (and listings) follow the file. */
  id: string;
  /** Quality flags of the email, once cleaned. */
  flags?: LeadFlag[];
  /** A likely typo in the email's domain, reported if the row is written. */
  warning?: string;
}

/** The next stretch of the file, written in one transaction; every data row belongs to exactly one batch. */
export interface LeadBatch {
  /** 1-based, in file order. */
  number: number;
  drafts: LeadDraft[];
  /** Rows that fail: unreadable records, invalid or missing emails, values over a limit. */
  failed: FailedRow[];
  /** Rows whose email an earlier row of the file has (the first row with a valid email wins). */
  duplicates: number;
  /** With skipDuplicates: the identities the workspace had when the batch was looked up; those rows are skipped. */
  known: Set<string>;
  /** Rows whose email or domain is on the workspace's suppression list: skipped, never cleaned. */
  suppressed: number;
  /** A dry run's first rows as they would be stored. */
  preview?: PreviewRow[];
}

/** What one batch did, once committed. */
export interface BatchOutcome {
  /** The batch's number. */
  number: number;
  /** Leads created (a dry run creates none but counts them). */
  imported: number;
  importedIds: string[];
  updated: number;
  /** Every skipped row, by reason (the reasons add up to it). */
  skipped: number;
  skippedReasons: SkippedReasons;
  /** Flags of the rows imported or updated. */
  flagged: Record<LeadFlag, number>;
  warnings: RowWarning[];
  failed: FailedRow[];
  preview?: PreviewRow[];
  /** Whether the batch's log is written (with its leads); a batch that wrote nothing is logged with the report. */
  logged: boolean;
}

/** A row error, with the row's cells for the error file (none in a dry run: it keeps no row data). */
export interface FailedRow extends ImportRowError {
  cells?: string[];
}

export interface SkippedReasons {
  /** Stored leads of skip mode. */
  existing: number;
  /** Repeats of an earlier row of the file. */
  duplicateInFile: number;
  /** On the suppression list. */
  suppressed: number;
  /** Update mode: stored leads that are not active (unsubscribed, bounced…), never touched. */
  protected: number;
}

/** A row written as it is, with something worth a look (a likely typo). */
export interface RowWarning {
  row: number;
  line: number;
  email: string;
  warning: string;
}
