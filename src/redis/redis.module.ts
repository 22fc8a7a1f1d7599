/** The shared Redis client (REDIS_CLIENT), present when REDIS_URL is set and null otherwise; closed at shutdown. */
import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Closes the client last: onApplicationShutdown runs after imports have finished and given their slots back. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'end') return;
    if (redis.status !== 'ready') {
      // No connection (Redis is down): just stop retrying. ioredis emits no 'end' then.
      redis.disconnect();
      return;
    }
    // QUIT lets the commands already sent (a last slot release) complete.
    const ended = new Promise((resolve) => redis.once('end', resolve));
    await redis.quit().catch(() => redis.disconnect());
    await ended;
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS_CLIENT,
          // ioredis is loaded only when REDIS_URL is set: a server without Redis does not carry it.
          useFactory: async () =>
            config.redis ? (await import('./redis-connection')).connectRedis(config.redis) : null,
        },
        RedisCloser,
      ],
      exports: [REDIS_CLIENT],
    };
  }
}
