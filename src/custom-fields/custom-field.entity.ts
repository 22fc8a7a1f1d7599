import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, TIMESTAMP_COLUMN } from '../database/columns';
import { CUSTOM_FIELD_NAME_MAX } from './custom-field-limits';

/** A custom field a workspace has used; its name is matched case-insensitively. */
@Entity('custom_fields')
export class CustomField {
  @PrimaryColumn(ID_COLUMN)
  id: string;

  @Column({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;

  @Column({ type: 'varchar', length: CUSTOM_FIELD_NAME_MAX })
  name: string;

  @Column({ type: 'varchar', length: CUSTOM_FIELD_NAME_MAX * 2, name: 'name_key' })
  nameKey: string;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;
}
