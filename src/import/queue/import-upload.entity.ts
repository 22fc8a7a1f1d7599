import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN } from '../../database/columns';

/** A chunk of an async import's uploaded file, kept until the import ends (any replica can read it). */
@Entity('import_uploads')
export class ImportUploadChunk {
  @PrimaryColumn({ ...ID_COLUMN, name: 'import_id' })
  importId: string;

  @PrimaryColumn({ type: 'int' })
  chunk: number;

  @Column({ type: 'blob' })
  data: Buffer;
}
