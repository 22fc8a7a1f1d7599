/** Opens the one Redis connection the service shares, and describes a Redis URL without its password. */
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RedisConfig } from '../config/app-config';

const CONNECT_TIMEOUT_MS = 5_000;
/** A Redis that accepts connections but does not answer must not hold requests: they fail (503) after this long. */
const COMMAND_TIMEOUT_MS = 2_000;

/**
 * Connects to Redis, or throws an error that names the URL (password hidden) and the reason. After start-up the
 * client reconnects by itself; meanwhile commands fail at once instead of queueing (enableOfflineQueue: false), so a
 * request that needs Redis gets a 503 and readiness fails rather than both hanging. Blocking commands (a queue
 * worker's) need a connection of their own without the command timeout: `duplicate()` this one with other options.
 */
export async function connectRedis(config: RedisConfig): Promise<Redis> {
  const logger = new Logger('Redis');
  const client = new Redis(config.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastError: Error | undefined;
  let down = false;
  client.on('error', (error: Error) => {
    lastError = error;
    // ioredis repeats the error at every reconnect attempt: log once per outage.
    if (!down) logger.warn(`Redis at ${describeRedisUrl(config.url)} is unreachable: ${error.message}`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log(`Redis at ${describeRedisUrl(config.url)} is reachable again`);
    down = false;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const reason = lastError?.message ?? (error as Error).message;
    throw new Error(
      `Cannot connect to Redis at ${describeRedisUrl(config.url)} (REDIS_URL): ${reason}. ` +
        'Start Redis, fix REDIS_URL, or unset REDIS_URL to run a single process without Redis.',
    );
  }
  return client;
}

/** The URL with its password replaced by "***", for messages and logs. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
