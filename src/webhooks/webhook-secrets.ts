/**
 * Webhook signing secrets, one per workspace: made on first use so that every delivery is signed, replaced (and
 * printed, once) by the CLI's `webhook:secret`. The signature is an HMAC-SHA256 of the exact body.
 */
import { Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { WebhookSecret } from './webhook-secret.entity';

export const SIGNATURE_HEADER = 'X-Leadport-Signature';

/** `sha256=<hex HMAC-SHA256 of body, keyed with the whole secret string>`. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

@Injectable()
export class WebhookSecrets {
  constructor(@InjectRepository(WebhookSecret) private readonly secrets: Repository<WebhookSecret>) {}

  /** The workspace's secret, made now if it has none (two replicas racing keep the first one stored). */
  async ensure(workspaceId: string): Promise<string> {
    const found = await this.secrets.findOneBy({ workspaceId });
    if (found) return found.secret;
    await this.secrets
      .createQueryBuilder()
      .insert()
      .values({ workspaceId, secret: newSecret(), createdAt: new Date() })
      .orIgnore()
      .execute();
    return (await this.secrets.findOneByOrFail({ workspaceId })).secret;
  }

  /** Replaces the workspace's secret (or makes its first) and returns it: the only time it is shown. */
  async rotate(workspaceId: string): Promise<string> {
    const secret = newSecret();
    await this.secrets.upsert({ workspaceId, secret, createdAt: new Date() }, ['workspaceId']);
    return secret;
  }
}

/** The secrets alone, for the CLI as well as the service. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookSecret])],
  providers: [WebhookSecrets],
  exports: [WebhookSecrets],
})
export class WebhookSecretsModule {}
