import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, jsonTransformer, TIMESTAMP_COLUMN } from '../../database/columns';

/** One committed batch of an import: what it did, written in the batch's own transaction. */
@Entity('import_batches')
export class ImportBatch {
  @PrimaryColumn({ ...ID_COLUMN, name: 'import_id' })
  importId: string;

  @PrimaryColumn({ type: 'int' })
  number: number;

  @Column({ type: 'int' }) imported: number;
  @Column({ type: 'int' }) updated: number;
  @Column({ type: 'int' }) skipped: number;
  @Column({ type: 'int' }) failed: number;

  @Column({ type: 'text', name: 'imported_lead_ids', transformer: jsonTransformer<string[]>([]) })
  importedLeadIds: string[];

  /** The updated_at the batch gave its leads: a lead with another one was changed since. */
  @Column({ ...TIMESTAMP_COLUMN, name: 'written_at', nullable: true })
  writtenAt: Date | null;

  @Column({ ...TIMESTAMP_COLUMN, name: 'undone_at', nullable: true })
  undoneAt: Date | null;
}

/** A row of an import that failed, kept apart from the record so that a report of any size fits. */
@Entity('import_row_errors')
export class ImportRowErrorEntry {
  @PrimaryColumn({ ...ID_COLUMN, name: 'import_id' })
  importId: string;

  @PrimaryColumn({ type: 'int', name: 'data_row' })
  row: number;

  @Column({ type: 'int' }) line: number;
  @Column({ type: 'text' }) email: string;
  @Column({ type: 'text' }) error: string;

  /** The row's cells as read (null for reports made before error files). */
  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<string[] | null>(null) })
  cells: string[] | null;
}

/** What one update of an import replaced in a lead, so that an undo can put it back. */
@Entity('import_ledger')
export class ImportLedgerEntry {
  @PrimaryColumn({ ...ID_COLUMN, name: 'import_id' })
  importId: string;

  @PrimaryColumn({ ...ID_COLUMN, name: 'lead_id' })
  leadId: string;

  @Column({ type: 'int', name: 'batch_number' })
  batchNumber: number;

  /** Per changed column its previous value (null: it had none); custom fields per changed key. */
  @Column({ type: 'text', transformer: jsonTransformer<PreviousValues>({ columns: {}, customFields: {} }) })
  previous: PreviousValues;

  /** Whether the lead had the import's tag before (a tag the import added is removed on undo). */
  @Column({ type: 'boolean', name: 'had_tag' })
  hadTag: boolean;
}

export interface PreviousValues {
  /** By `leads` column (email included). */
  columns: Record<string, string | null>;
  customFields: Record<string, string | null>;
}
