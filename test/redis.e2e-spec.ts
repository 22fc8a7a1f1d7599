/** What replicas share through Redis (rate limits, import slots), readiness with Redis, and start-up without it. */
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiKeyService } from '../src/auth/api-key.service';
import { ImportSlots } from '../src/import/upload/import-slots';
import { REDIS_CLIENT } from '../src/redis/redis.module';
import { createTestDatabase, DATABASES } from './support/databases';
import { holdUpload } from './support/held-upload';
import { expectError, importCsv } from './support/import';
import { describeWithRedis, PrivateRedisServer, testRedis } from './support/redis';
import { buildServer, freePort, ServerProcess, stopAllServers, waitFor } from './support/server-process';
import { listeningPort, startTestApp, TestContext, until } from './support/test-app';

type App = TestContext & { close(): Promise<void> };

const LEASE_MS = 1500;

async function leadEmails(ctx: TestContext, workspaceId: string): Promise<string[]> {
  const rows: Array<{ email: string }> = await ctx.dataSource.query(
    'SELECT email FROM leads WHERE workspace_id = ? ORDER BY email',
    [workspaceId],
  );
  return rows.map((row) => row.email);
}

describeWithRedis('Redis: what replicas share', () => {
  for (const kind of DATABASES) {
    describe(`two app instances on one database and one Redis [${kind}]`, () => {
      const redis = testRedis();
      const env = {
        ...redis.env,
        RATE_LIMIT_PER_MINUTE: '4',
        IMPORT_MAX_CONCURRENT_PER_WORKSPACE: '2',
        IMPORT_MAX_CONCURRENT_PER_KEY: '1',
        IMPORT_SLOT_LEASE_MS: String(LEASE_MS),
      };
      let first: App | undefined;
      let second: App | undefined;
      const apps = () => {
        if (!first || !second) throw new Error('the test apps did not start');
        return { first, second };
      };
      beforeAll(async () => {
        first = await startTestApp(kind, env);
        second = await startTestApp(kind, env, first);
      });
      afterAll(async () => {
        await second?.close();
        await first?.close();
        await redis.cleanUp();
      });

      it('counts requests to either instance against one rate limit per API key', async () => {
        const { first, second } = apps();
        const { key } = await first.newWorkspace();
        const { key: otherKey } = await first.newWorkspace();
        for (const app of [first, first, second, second]) {
          await app.http().get('/v1/leads').set('X-Api-Key', key).expect(200);
        }
        // Each instance has seen 2 of the 4 allowed requests; only a shared counter refuses the fifth.
        for (const app of [second, first]) {
          const res = await app.http().get('/v1/leads').set('X-Api-Key', key);
          expectError(res, 429, 'RATE_LIMITED');
          expect(res.body.error.message).toMatch(/^Rate limit of 4 requests per 60 s reached for this API key\./);
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
        await second.http().get('/v1/leads').set('X-Api-Key', otherKey).expect(200);
      });

      it('sees the import slots taken on the other instance (per key and per workspace), for as long as they run', async () => {
        const { first, second } = apps();
        const { workspaceId, key } = await first.newWorkspace();
        const keys = first.app.get(ApiKeyService);
        const { key: secondKey } = await keys.createKey({ workspaceId });
        const { key: thirdKey } = await keys.createKey({ workspaceId });
        const onFirst = holdUpload(await listeningPort(first), key, 'first@replicas.example');
        await until(() => first.app.get(ImportSlots).active === 1, 'the upload on the first instance takes its slot');
        // Longer than a lease: the slot is still taken only because the first instance renews it.
        await sleep(2 * LEASE_MS);

        const sameKey = await importCsv(second, key, 'Email\nsame-key@replicas.example\n');
        expectError(sameKey, 429, 'RATE_LIMITED');
        expect(sameKey.body.error.message).toBe('This API key is running 1 imports already. Try again in 5 seconds.');
        expect(sameKey.headers['retry-after']).toBe('5');

        const onSecond = holdUpload(await listeningPort(second), secondKey, 'second@replicas.example');
        await until(() => second.app.get(ImportSlots).active === 1, 'the upload on the second instance takes its slot');
        // The first instance runs one import of the workspace itself; the second one's makes two, the bound.
        const full = await importCsv(first, thirdKey, 'Email\nrefused@replicas.example\n');
        expectError(full, 429, 'RATE_LIMITED');
        expect(full.body.error.message).toBe('This workspace is running 2 imports already. Try again in 5 seconds.');

        expect((await onFirst.finish()).status).toBe(200);
        expect((await onSecond.finish()).status).toBe(200);
        await until(() => first.app.get(ImportSlots).active === 0, 'the first upload gives its slot back');
        await until(() => second.app.get(ImportSlots).active === 0, 'the second upload gives its slot back');
        await importCsv(first, thirdKey, 'Email\nafter@replicas.example\n').expect(200);
        expect(await leadEmails(second, workspaceId)).toEqual([
          'after@replicas.example',
          'first@replicas.example',
          'second@replicas.example',
        ]);
      });

      it('frees the slots of an instance that stops renewing them (killed) once their lease expires', async () => {
        const { first, second } = apps();
        const dying = await startTestApp(kind, env, first);
        try {
          const { workspaceId, key } = await first.newWorkspace();
          const held = holdUpload(await listeningPort(dying), key, 'lost@replicas.example');
          await until(() => dying.app.get(ImportSlots).active === 1, 'the held upload takes its slot');
          // Cut the instance off Redis, as a SIGKILL would: it can neither renew nor give back its lease.
          dying.app.get<Redis>(REDIS_CLIENT).disconnect();

          const early = await importCsv(second, key, 'Email\nearly@replicas.example\n');
          expectError(early, 429, 'RATE_LIMITED');
          expect(early.body.error.message).toContain('This API key is running 1 imports already');
          // The lease was renewed at most a third of a lease ago; once it runs out the slot is free again.
          await sleep(2 * LEASE_MS);
          const accepted = await importCsv(second, key, 'Email\nlater@replicas.example\n').expect(200);
          expect(accepted.body.data.imported).toBe(1);
          expect(await leadEmails(second, workspaceId)).toEqual(['later@replicas.example']);
          held.abort();
          await until(() => dying.app.get(ImportSlots).active === 0, 'the aborted upload gives its slot back');
        } finally {
          await dying.close();
        }
      });
    });

    describe(`readiness and start-up with REDIS_URL [${kind}]`, () => {
      afterAll(stopAllServers);

      it('reports Redis in /health/ready, and 503 (never 500) while Redis hangs or is gone', async () => {
        const server = await PrivateRedisServer.start();
        const app = await startTestApp(kind, { REDIS_URL: server.url });
        try {
          const ready = await app.http().get('/health/ready').expect(200);
          expect(ready.body.data.info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
          const { key } = await app.newWorkspace();
          await app.http().get('/v1/leads').set('X-Api-Key', key).expect(200);

          // A hung Redis: readiness and requests give up after 2 s instead of waiting with it; then it recovers.
          server.pause();
          const hung = await app.http().get('/health/ready').expect(503);
          expect(hung.body.error.message).toBe('Not ready: Redis did not answer a ping within 2 s.');
          expectError(await app.http().get('/v1/leads').set('X-Api-Key', key), 503, 'SERVICE_UNAVAILABLE');
          server.resume();
          await waitFor('readiness to come back', async () => {
            const res = await app.http().get('/health/ready');
            return res.status === 200 ? true : undefined;
          });
          await app.http().get('/v1/leads').set('X-Api-Key', key).expect(200);

          await server.stop();
          const notReady = await waitFor('readiness to fail', async () => {
            const res = await app.http().get('/health/ready');
            return res.status === 503 ? res : undefined;
          });
          expect(notReady.body).toEqual({
            success: false,
            error: { code: 'SERVICE_UNAVAILABLE', message: 'Not ready: Redis did not answer a ping within 2 s.' },
          });
          const limited = await app.http().get('/v1/leads').set('X-Api-Key', key);
          expectError(limited, 503, 'SERVICE_UNAVAILABLE');
          expect(limited.body.error.message).toBe(
            'The rate-limit store (Redis) is unreachable. Try again in 5 seconds.',
          );
          expect(limited.headers['retry-after']).toBe('5');
          const importing = await importCsv(app, key, 'Email\nno-redis@replicas.example\n');
          expectError(importing, 503, 'SERVICE_UNAVAILABLE');
          expect(importing.body.error.message).toBe(limited.body.error.message);
        } finally {
          await app.close();
          await server.stop();
        }
      });

      it('closes its Redis connection when it shuts down, after giving its slots back', async () => {
        const redis = testRedis();
        const app = await startTestApp(kind, redis.env);
        try {
          const client = app.app.get<Redis>(REDIS_CLIENT);
          expect(client.status).toBe('ready');
          const { key } = await app.newWorkspace();
          await importCsv(app, key, 'Email\nclosing@replicas.example\n').expect(200);
          await app.close();
          expect(client.status).toBe('end');
          const probe = new Redis(redis.env.REDIS_URL);
          try {
            // The import's leases were removed, not left to expire.
            expect(await probe.keys(`${redis.env.REDIS_KEY_PREFIX}:import-slots:*`)).toEqual([]);
          } finally {
            probe.disconnect();
          }
        } finally {
          await redis.cleanUp();
        }
      });

      it('refuses to start, naming the URL without its password, when Redis does not answer', async () => {
        buildServer();
        const database = await createTestDatabase(kind);
        const port = await freePort();
        try {
          const start = ServerProcess.start({
            databaseUrl: database.url,
            env: { REDIS_URL: `redis://:hunter2@127.0.0.1:${port}/3` },
          });
          const error = await start.then(
            () => new Error('the server started'),
            (reason: Error) => reason,
          );
          expect(error.message).toContain('The server exited ({"code":1,"signal":null}) before it was ready');
          expect(error.message).toContain(
            `Cannot connect to Redis at redis://:***@127.0.0.1:${port}/3 (REDIS_URL): connect ECONNREFUSED`,
          );
          expect(error.message).toContain('Start Redis, fix REDIS_URL, or unset REDIS_URL');
          expect(error.message).not.toContain('hunter2');
        } finally {
          await database.drop();
        }
      });
    });
  }
});
