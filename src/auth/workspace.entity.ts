import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, TIMESTAMP_COLUMN } from '../database/columns';

@Entity('workspaces')
export class Workspace {
  @PrimaryColumn(ID_COLUMN)
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;
}
