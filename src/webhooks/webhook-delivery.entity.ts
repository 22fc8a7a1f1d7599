import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, TIMESTAMP_COLUMN } from '../database/columns';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One webhook to send, with its attempts so far: the durable queue every replica's poller reads. */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryColumn(ID_COLUMN)
  id: string;

  @Column({ ...ID_COLUMN, name: 'workspace_id' })
  workspaceId: string;

  @Column({ ...ID_COLUMN, name: 'import_id' })
  importId: string;

  /** `import.completed`, `import.failed`, … (the X-Leadport-Event header). */
  @Column({ type: 'varchar', length: 40 })
  event: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** The exact JSON sent (and signed) at every attempt. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 16 })
  status: WebhookDeliveryStatus;

  @Column({ type: 'int' })
  attempts: number;

  /** When a poller may take it next; while an attempt runs, when that attempt counts as lost. */
  @Column({ ...TIMESTAMP_COLUMN, name: 'next_attempt_at' })
  nextAttemptAt: Date;

  @Column({ ...TIMESTAMP_COLUMN, name: 'first_attempt_at', nullable: true })
  firstAttemptAt: Date | null;

  @Column({ ...TIMESTAMP_COLUMN, name: 'last_attempt_at', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ type: 'int', name: 'last_status_code', nullable: true })
  lastStatusCode: number | null;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError: string | null;

  @Column({ ...TIMESTAMP_COLUMN, name: 'created_at' })
  createdAt: Date;

  @Column({ ...TIMESTAMP_COLUMN, name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
