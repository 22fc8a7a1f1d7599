import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ImportFormValues } from '../dto/import-csv.form';
import { ID_COLUMN, jsonTransformer, TIMESTAMP_COLUMN } from '../../database/columns';

export type ImportStatus =
  'queued' | 'processing' | 'completed' | 'previewed' | 'failed' | 'interrupted' | 'undoing' | 'undone';

/** sync: run by the request that sent it; async: answered 202 and run from the queue. */
export type ImportMode = 'sync' | 'async';

export interface ImportOptions {
  skipDuplicates: boolean;
  dataCleanup: boolean;
  tag: string | null;
  /** The caller's mapping, only the keys that named a column of the file. */
  mapping: Record<string, string> | null;
  /** Absent in records made before dry runs. */
  dryRun?: boolean;
  /** How many keys of the caller's mapping named no column (not kept). Absent in records before it existed. */
  unusedMapping?: number;
  /** Where the report is sent when the import ends (see ImportWebhooks). */
  webhookUrl?: string;
}

export interface ImportRowError {
  row: number;
  line: number;
  email: string;
  error: string;
}

/** Data rows a running import has accounted for so far (every committed batch adds its rows). */
@Entity('import_progress')
export class ImportProgress {
  @PrimaryColumn({ ...ID_COLUMN, name: 'import_id' })
  importId: string;

  @Column({ type: 'int', name: 'rows_done' })
  rowsDone: number;
}

/** One CSV import: what was asked, what happened to every row. */
@Entity('imports')
export class ImportRecord {
  @PrimaryColumn(ID_COLUMN)
  id: string;

  @Column({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;

  @Column({ ...ID_COLUMN, name: 'api_key_id', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: ImportStatus;

  @Column({ type: 'varchar', length: 255, name: 'file_name', nullable: true })
  fileName: string | null;

  @Column({ type: 'int', name: 'file_bytes' })
  fileBytes: number;

  @Column({ type: 'text', transformer: jsonTransformer<ImportOptions | null>(null) })
  options: ImportOptions;

  @Column({ type: 'int', name: 'total_rows' }) totalRows: number;
  @Column({ type: 'int' }) imported: number;
  @Column({ type: 'int' }) updated: number;
  @Column({ type: 'int' }) skipped: number;
  @Column({ type: 'int' }) failed: number;

  @Column({ type: 'text', name: 'csv_info', nullable: true, transformer: jsonTransformer<object | null>(null) })
  csvInfo: object | null;

  /** The file's header cells, the first line of the error file. */
  @Column({ type: 'text', name: 'file_header', nullable: true, transformer: jsonTransformer<string[] | null>(null) })
  fileHeader: string[] | null;

  /** Why the import as a whole failed or stopped, when it did. */
  @Column({ type: 'text', name: 'failure_reason', nullable: true })
  failureReason: string | null;

  @Column({ type: 'varchar', length: 8, default: 'sync' })
  mode: ImportMode;

  /** The error code of an import that failed as a whole (an async one: the code a sync call would have answered). */
  @Column({ type: 'varchar', length: 32, name: 'error_code', nullable: true })
  errorCode: string | null;

  /** An async import's form, to run it with; null once it ended, and for sync imports. */
  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<ImportFormValues | null>(null) })
  form: ImportFormValues | null;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;

  @Column({ ...TIMESTAMP_COLUMN, name: 'updated_at' })
  updatedAt: Date;

  @Column({ ...TIMESTAMP_COLUMN, name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}

/** What a new import record holds before anything is written or ended. */
export const NOTHING_WRITTEN = {
  errorCode: null,
  imported: 0,
  updated: 0,
  skipped: 0,
  failed: 0,
  csvInfo: null,
  failureReason: null,
  finishedAt: null,
} as const;
