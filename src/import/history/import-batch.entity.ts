import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, jsonTransformer } from '../../database/columns';

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
