import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, TIMESTAMP_COLUMN } from '../database/columns';

/** A workspace's webhook signing secret: HMAC needs the secret itself, so it is kept as it is (never shown by the API). */
@Entity('webhook_secrets')
export class WebhookSecret {
  @PrimaryColumn({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;

  @Column({ type: 'varchar', length: 64 })
  secret: string;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;
}
