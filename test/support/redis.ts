/** Redis for e2e tests: TEST_REDIS_URL (like TEST_MYSQL_URL), a key prefix per test file, and a private redis-server. */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort, waitFor } from './server-process';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

/** Suites that need Redis run when TEST_REDIS_URL is set; the reporter names the ones that did not. */
export const describeWithRedis = TEST_REDIS_URL ? describe : describe.skip;

/**
 * REDIS_URL and a key prefix of this test file's own, so that parallel Jest workers and other checkouts sharing the
 * Redis never see each other's counters or slots. `cleanUp()` deletes the prefix's keys.
 */
export function testRedis(): { env: { REDIS_URL: string; REDIS_KEY_PREFIX: string }; cleanUp(): Promise<void> } {
  const prefix = `leadport-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  return {
    env: { REDIS_URL: TEST_REDIS_URL!, REDIS_KEY_PREFIX: prefix },
    cleanUp: async () => {
      const redis = new Redis(TEST_REDIS_URL!);
      try {
        // Throttler keys wrap the prefix in a hash tag ("{prefix:…}"), slot keys start with it.
        const keys = await redis.keys(`*${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** A redis-server of the test's own on a free port, which the test can stop to see what the service does then. */
export class PrivateRedisServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly exited: Promise<void>,
  ) {}

  static async start(): Promise<PrivateRedisServer> {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const server = new PrivateRedisServer(child, `redis://127.0.0.1:${port}/0`, exited);
    const client = new Redis(server.url, { lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => undefined);
    await waitFor('the private redis-server to answer PING', async () => {
      try {
        if (client.status !== 'ready') await client.connect();
        return (await client.ping()) === 'PONG' ? true : undefined;
      } catch {
        return undefined;
      }
    });
    client.disconnect();
    return server;
  }

  /** SIGSTOP: the server keeps its connections but answers nothing, like a hung Redis. */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
