import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, TIMESTAMP_COLUMN } from '../database/columns';

/** A user's membership of a workspace: what a platform key may act on. */
@Entity('workspace_members')
export class WorkspaceMember {
  @PrimaryColumn({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;

  @PrimaryColumn({ ...ID_COLUMN, name: 'user_id' })
  userId: string;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;
}
