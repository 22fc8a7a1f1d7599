import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckError, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';
import { AppError, ErrorCode } from '../common/app-error';
import { ShutdownState } from '../common/lifecycle.module';
import { ApiErrors } from '../common/swagger';

/** Kubernetes probes: liveness says the process answers, readiness says it can serve (database reachable). */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: not shutting down, and the database answers a ping within 2 s' })
  @ApiErrors({
    503: [
      ['Database unreachable', 'Not ready: the database did not answer a ping within 2 s.'],
      ['Shutting down', 'Not ready: the server is shutting down.'],
    ],
  })
  async ready(): Promise<HealthCheckResult> {
    if (this.shutdown.shuttingDown) {
      throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Not ready: the server is shutting down.');
    }
    try {
      return await this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
    } catch (error) {
      if (error instanceof HealthCheckError || (error as { status?: number }).status === 503) {
        throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Not ready: the database did not answer a ping within 2 s.');
      }
      throw error;
    }
  }
}
