/** Rate-limit counters in Redis, so that every replica counts against the same limit per API key. */
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../common/app-error';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorageRedisService['increment']>>;

const RETRY_AFTER_SECONDS = 5;

/**
 * The maintained Redis storage for @nestjs/throttler, with our key prefix. When Redis cannot be reached the request
 * is answered 503 (retry shortly) rather than let through unlimited or failed with a 500.
 */
export class RedisThrottlerStorage extends ThrottlerStorageRedisService {
  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    super(redis);
  }

  override async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    try {
      return await super.increment(`${this.keyPrefix}:throttle:${key}`, ttl, limit, blockDuration, throttlerName);
    } catch {
      throw new AppError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `The rate-limit store (Redis) is unreachable. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    }
  }
}
