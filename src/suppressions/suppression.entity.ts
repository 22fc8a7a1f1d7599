import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, TIMESTAMP_COLUMN } from '../database/columns';

export const SUPPRESSION_REASONS = ['unsubscribed', 'bounced', 'complained', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
export type SuppressionKind = 'email' | 'domain';

/** One entry of a workspace's do-not-contact list: never an address, only its hash (or a whole domain). */
@Entity('suppressions')
export class Suppression {
  @PrimaryColumn(ID_COLUMN)
  id: string;

  @Column({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;

  @Column({ type: 'varchar', length: 10 })
  kind: SuppressionKind;

  /** Hex SHA-256 of the email identity, or the lower-cased domain. */
  @Column({ type: 'varchar', length: 255 })
  value: string;

  @Column({ type: 'varchar', length: 20 })
  reason: SuppressionReason;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;
}
