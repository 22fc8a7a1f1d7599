/** GET /metrics in Prometheus text format: no API key, no envelope, no rate limit; METRICS_TOKEN when set. */
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Registry } from 'prom-client';
import { Public } from '../auth/public.decorator';
import { AppError, ErrorCode } from '../common/app-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';

// For Prometheus, not API clients: docs/metrics.md documents it.
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: Registry,
  ) {}

  @Get()
  async metrics(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    this.authorize(authorization);
    const text = await this.registry.metrics();
    response.status(200).setHeader('Content-Type', this.registry.contentType).send(text);
  }

  private authorize(authorization: string | undefined): void {
    const token = this.config.metrics.token;
    if (token === undefined) return;
    const given = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (!timingSafeEqual(digest(given), digest(token))) {
      throw new AppError(
        ErrorCode.UNAUTHORIZED,
        'Metrics need the token set in METRICS_TOKEN. Send it as "Authorization: Bearer <token>".',
        { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      );
    }
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
