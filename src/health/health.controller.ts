import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckError,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';
import { AppError, ErrorCode } from '../common/app-error';
import { ShutdownState } from '../common/lifecycle.module';
import { ApiErrors } from '../common/swagger';
import { RedisHealthIndicator } from './redis-health.indicator';

const PING_TIMEOUT_MS = 2000;

/**
 * Kubernetes probes: liveness says the process answers, readiness says it can serve (the database, and Redis when
 * REDIS_URL is set, reachable).
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: not shutting down, and the database (and Redis, when configured) answers a ping within 2 s',
  })
  @ApiErrors({
    503: [
      ['Database unreachable', 'Not ready: the database did not answer a ping within 2 s.'],
      ['Redis unreachable', 'Not ready: Redis did not answer a ping within 2 s.'],
      ['Shutting down', 'Not ready: the server is shutting down.'],
    ],
  })
  async ready(): Promise<HealthCheckResult> {
    if (this.shutdown.shuttingDown) {
      throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Not ready: the server is shutting down.');
    }
    const checks: HealthIndicatorFunction[] = [() => this.database.pingCheck('database', { timeout: PING_TIMEOUT_MS })];
    if (this.redis.configured) checks.push(() => this.redis.pingCheck('redis', PING_TIMEOUT_MS));
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (error instanceof HealthCheckError || (error as { status?: number }).status === 503) {
        throw new AppError(
          ErrorCode.SERVICE_UNAVAILABLE,
          `Not ready: ${downServices(error)} did not answer a ping within 2 s.`,
        );
      }
      throw error;
    }
  }
}

/** "the database", "Redis" or both, from terminus' 503 (its response lists the checks that are down). */
function downServices(error: unknown): string {
  const response = (error as { getResponse?: () => unknown }).getResponse?.() as
    { error?: Record<string, unknown> } | undefined;
  const down = Object.keys(response?.error ?? {});
  if (!down.includes('redis')) return 'the database';
  return down.includes('database') ? 'the database and Redis' : 'Redis';
}
