/** The webhooks to send: a delivery is stored first (durable, any replica may send it), then sent as soon as possible. */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { newId } from '../common/object-id';
import { WebhookDeliveryDto } from './dto/webhook-delivery.dto';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookPoller } from './webhook-poller';

export interface WebhookEvent {
  workspaceId: string;
  importId: string;
  url: string;
  /** `import.completed`, … */
  event: string;
  data: object;
}

@Injectable()
export class WebhookDeliveries {
  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly poller: WebhookPoller,
  ) {}

  /** Stores the delivery of `event` and asks the poller to send it now; returns the delivery's id. */
  async enqueue({ workspaceId, importId, url, event, data }: WebhookEvent): Promise<string> {
    const id = newId();
    const now = new Date();
    const body = JSON.stringify({ deliveryId: id, event, createdAt: now.toISOString(), workspaceId, data });
    await this.deliveries.insert({
      id,
      workspaceId,
      importId,
      event,
      url,
      body,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      firstAttemptAt: null,
      lastAttemptAt: null,
      lastStatusCode: null,
      lastError: null,
      createdAt: now,
      finishedAt: null,
    });
    this.poller.poll();
    return id;
  }

  /** The latest delivery for an import of this workspace, or null if none was queued. */
  async latest(workspaceId: string, importId: string): Promise<WebhookDeliveryDto | null> {
    const found = await this.deliveries.findOne({ where: { workspaceId, importId }, order: { id: 'DESC' } });
    if (!found) return null;
    const { id, event, status, attempts, lastStatusCode, lastError, lastAttemptAt, nextAttemptAt } = found;
    return {
      id,
      event,
      status,
      attempts,
      lastStatusCode,
      lastError,
      lastAttemptAt,
      nextAttemptAt: status === 'pending' ? nextAttemptAt : null,
    };
  }
}
