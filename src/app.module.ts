import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AuthModule } from './auth/auth.module';
import { ApiKeyThrottlerGuard, isAuthenticated } from './common/api-key-throttler.guard';
import { EnvelopeInterceptor } from './common/envelope.interceptor';
import { ErrorFilter } from './common/error.filter';
import { LifecycleModule } from './common/lifecycle.module';
import { loggerParams } from './common/logging';
import { appValidationPipe } from './common/validation.pipe';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { CustomFieldsModule } from './custom-fields/custom-fields.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { HealthModule } from './health/health.module';
import { ImportModule } from './import/import.module';
import { isImportRoute } from './import/upload/import-throttle';
import { LeadsModule } from './leads/leads.module';
import { REDIS_CLIENT, RedisModule } from './redis/redis.module';
import { MetricsModule } from './metrics/metrics.module';
import { SuppressionsModule } from './suppressions/suppressions.module';

@Module({})
export class AppModule {
  /** The whole service; tests build exactly this with their own config. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LifecycleModule,
        LoggerModule.forRoot(loggerParams(config.logLevel)),
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(config.database),
          // A MySQL server may still be starting (docker-compose); a SQLite file either opens or not.
          retryAttempts: config.database.type === 'mysql' ? 10 : 0,
          retryDelay: 3000,
        }),
        RedisModule.forRoot(config),
        // With Redis, every replica counts against the same limits; without it, this process's memory holds them.
        ThrottlerModule.forRootAsync({
          inject: [REDIS_CLIENT],
          useFactory: async (redis: Redis | null) => ({
            storage: await throttlerStorage(redis, config),
            skipIf: (context) => !isAuthenticated(context),
            throttlers: [
              { name: 'default', ttl: 60_000, limit: config.rateLimit.perMinute },
              {
                name: 'import',
                ttl: 60_000,
                limit: config.rateLimit.importsPerMinute,
                skipIf: (context) => !isImportRoute(context),
              },
            ],
          }),
        }),
        MetricsModule.forRoot(config),
        AuthModule,
        // Before LeadsModule: /v1/leads/imports must not be taken for /v1/leads/:id.
        ImportModule,
        LeadsModule,
        SuppressionsModule,
        CustomFieldsModule,
        HealthModule,
      ],
      providers: [
        // In this order: who is calling, then how often.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useValue: appValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
      ],
    };
  }
}

/** The rate-limit counters' Redis storage, loaded only with Redis (as the client itself, redis-connection.ts). */
async function throttlerStorage(redis: Redis | null, config: AppConfig): Promise<ThrottlerStorage | undefined> {
  if (!redis || !config.redis) return undefined;
  const { RedisThrottlerStorage } = await import('./redis/redis-throttler-storage');
  return new RedisThrottlerStorage(redis, config.redis.keyPrefix);
}
