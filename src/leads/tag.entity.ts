import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, TIMESTAMP_COLUMN } from '../database/columns';

export const TAG_MAX_LENGTH = 100;

@Entity('tags')
export class Tag {
  @PrimaryColumn(ID_COLUMN)
  id: string;

  @Column({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;

  @Column({ type: 'varchar', length: TAG_MAX_LENGTH })
  name: string;

  /** Lower-cased name: "VIP" and "vip" are one tag. */
  @Column({ type: 'varchar', length: TAG_MAX_LENGTH * 2, name: 'name_key' })
  nameKey: string;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;
}

@Entity('lead_tags')
export class LeadTag {
  @PrimaryColumn({ ...ID_COLUMN, name: 'lead_id' })
  leadId: string;

  @PrimaryColumn({ ...ID_COLUMN, name: 'tag_id' })
  tagId: string;

  @Column({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;
}
