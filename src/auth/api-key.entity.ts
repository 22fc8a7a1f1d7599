import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, TIMESTAMP_COLUMN } from '../database/columns';

export type ApiKeyKind = 'workspace' | 'platform';

/** An API key. Only its SHA-256 hash and a short display prefix are stored. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn(ID_COLUMN)
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: ApiKeyKind;

  @Column({ type: 'varchar', length: 64, name: 'key_hash' })
  keyHash: string;

  @Column({ type: 'varchar', length: 24 })
  prefix: string;

  /** Set for workspace keys. */
  @Column({ ...ID_COLUMN, name: 'workspace_id', nullable: true })
  workspaceId: string | null;

  /** Set for platform keys. */
  @Column({ ...ID_COLUMN, name: 'user_id', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;

  @Column({ ...TIMESTAMP_COLUMN, name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
