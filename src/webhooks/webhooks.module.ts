import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookPoller } from './webhook-poller';
import { WebhookSecretsModule } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { WebhookTargets } from './webhook-url';

/** Signed, retried webhooks: the durable deliveries, the poller every replica runs, and the SSRF guard. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookDelivery]), WebhookSecretsModule],
  providers: [WebhookDeliveries, WebhookPoller, WebhookSender, WebhookTargets],
  exports: [WebhookDeliveries, WebhookTargets],
})
export class WebhooksModule {}
