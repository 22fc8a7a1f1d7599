import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, TIMESTAMP_COLUMN } from '../database/columns';

@Entity('users')
export class User {
  @PrimaryColumn(ID_COLUMN)
  id: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  /** The workspace a platform key acts on when the request names none. */
  @Column({ ...ID_COLUMN, name: 'default_workspace_id', nullable: true })
  defaultWorkspaceId: string | null;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;
}
