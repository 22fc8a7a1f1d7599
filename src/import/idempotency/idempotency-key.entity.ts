import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, jsonTransformer, TIMESTAMP_COLUMN } from '../../database/columns';

/** `running` while the first request with the key is being answered; `done` once its answer is stored. */
export type IdempotencyState = 'running' | 'done';

/** A stored answer, replayed as it was: status, the headers that matter (Location…), the envelope. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** One Idempotency-Key of a workspace and what its first request answered. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;

  @PrimaryColumn({ type: 'varchar', length: 255, name: 'idempotency_key' })
  key: string;

  /** Which request holds the key: a stale claim is taken over by a new id, and only the holder may finish it. */
  @Column({ ...ID_COLUMN, name: 'claim_id' })
  claimId: string;

  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ type: 'varchar', length: 16 })
  state: IdempotencyState;

  @Column({ type: 'text', nullable: true, transformer: jsonTransformer<StoredResponse | null>(null) })
  response: StoredResponse | null;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;

  /** Refreshed while the first request runs: a claim left untouched belongs to a process that died. */
  @Column({ ...TIMESTAMP_COLUMN, name: 'updated_at' })
  updatedAt: Date;

  @Column({ ...TIMESTAMP_COLUMN, name: 'expires_at' })
  expiresAt: Date;
}
