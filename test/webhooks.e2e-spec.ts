import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { createHmac } from 'node:crypto';
import { AppModule } from '../src/app.module';
import { runCli } from '../src/cli/cli';
import { newId } from '../src/common/object-id';
import { loadConfig } from '../src/config/app-config';
import { ImportHistory } from '../src/import/history/import-history.service';
import { ImportRecord } from '../src/import/history/import-record.entity';
import { StaleImportSweeper } from '../src/import/history/stale-import-sweeper';
import { WebhookDeliveries } from '../src/webhooks/webhook-deliveries';
import { WebhookDelivery } from '../src/webhooks/webhook-delivery.entity';
import { WebhookPoller } from '../src/webhooks/webhook-poller';
import { WebhookSecret } from '../src/webhooks/webhook-secret.entity';
import { importCsv, toCsv } from './support/import';
import { describeEachDatabase, startTestApp, TestContext } from './support/test-app';
import { deadUrl, eventually, ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

const CSV = toCsv([
  ['Email', 'First Name', 'Company'],
  ['jane@acme.com', 'Jane', 'Acme'],
  ['not-an-email', 'Bad', 'Acme'],
]);
const RETRY_WINDOW_MS = 1_500;
const ENV = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_WINDOW_MS: String(RETRY_WINDOW_MS),
  WEBHOOK_POLL_INTERVAL_MS: '50',
};

const hmac = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describeEachDatabase(
  'Import webhooks',
  (ctx) => {
    let receiver: WebhookReceiver;
    afterEach(() => receiver?.close());

    const databaseUrl = (c: TestContext) =>
      c.config.database.type === 'mysql' ? c.config.database.url : `sqlite:${c.config.database.path}`;

    /** `webhook:secret` as a person runs it; returns the printed secret (the last line). */
    async function cliSecret(workspaceId: string): Promise<string> {
      const out: string[] = [];
      const code = await runCli(
        ['webhook:secret', '--workspace', workspaceId],
        loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl(ctx()) }),
        { out: (line) => out.push(line), err: (line) => out.push(line) },
      );
      expect(code).toBe(0);
      expect(out[0]).toContain(`id ${workspaceId}`);
      expect(out[0]).toContain('it is not shown again');
      return out[out.length - 1];
    }

    const delivery = (importId: string) =>
      ctx().dataSource.getRepository(WebhookDelivery).findOneByOrFail({ importId });
    /** The delivery once it is no longer pending (the receiver may see a request before its outcome is recorded). */
    const settled = (importId: string) =>
      eventually(async () => {
        const row = await delivery(importId);
        return row.status === 'pending' ? undefined : row;
      }, 'the delivery is delivered or failed');
    const arrived = (count: number) =>
      eventually(() => (receiver.received.length >= count ? receiver.received : undefined), `${count} webhook(s)`);

    it('POSTs the signed report of a sync import; the signature verifies with the secret the CLI printed', async () => {
      receiver = await WebhookReceiver.start();
      const { key, workspaceId } = await ctx().newWorkspace();
      const secret = await cliSecret(workspaceId);
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);

      const res = await importCsv(ctx(), key, CSV, { webhookUrl: receiver.url(), tag: 'hooked' }).expect(200);
      const { importId } = res.body.data;
      const [hook] = await arrived(1);
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.headers['x-leadport-event']).toBe('import.completed');
      const deliveryId = hook.headers['x-leadport-delivery'];
      expect(deliveryId).toMatch(/^[0-9a-f]{24}$/);
      expect(hook.headers['x-leadport-signature']).toBe(hmac(secret, hook.body));

      const payload = JSON.parse(hook.body);
      expect(payload).toEqual({
        deliveryId,
        event: 'import.completed',
        createdAt: expect.any(String),
        workspaceId,
        data: {
          importId,
          status: 'completed',
          fileName: 'leads.csv',
          fileBytes: Buffer.byteLength(CSV),
          options: { skipDuplicates: true, dataCleanup: true, tag: 'hooked', dryRun: false },
          totalRows: 2,
          imported: 1,
          updated: 0,
          skipped: 0,
          failed: 1,
          errorCount: 1,
          failureReason: null,
          csvInfo: expect.objectContaining({ totalRows: 2, columns: ['Email', 'First Name', 'Company'] }),
          createdAt: expect.any(String),
          finishedAt: expect.any(String),
          statusUrl: `/v1/leads/imports/${importId}`,
          errorsUrl: `/v1/leads/imports/${importId}/errors`,
          errorFileUrl: `/v1/leads/imports/${importId}/errors.csv`,
        },
      });
      expect(payload.data.csvInfo.mapping).toEqual(res.body.data.csvInfo.mapping);
      expect(await settled(importId)).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });

      // The secret is shown by the CLI only: not in the import's record, not in the webhook.
      const detail = await ctx().http().get(`/v1/leads/imports/${importId}`).set('X-Api-Key', key).expect(200);
      expect(detail.body.data.options.webhookUrl).toBe(receiver.url());
      expect(detail.body.data.webhook).toEqual({
        id: deliveryId,
        event: 'import.completed',
        status: 'delivered',
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        lastAttemptAt: expect.any(String),
        nextAttemptAt: null,
      });
      const plain = await importCsv(ctx(), key, CSV).expect(200);
      const plainDetail = await ctx().http().get(`/v1/leads/imports/${plain.body.data.importId}`).set('X-Api-Key', key);
      expect(plainDetail.body.data.webhook).toBeNull();
      expect(detail.text).not.toContain(secret);
      expect(hook.body).not.toContain(secret);
    });

    it('signs with a secret made on first use until the CLI replaces it; each workspace has its own', async () => {
      receiver = await WebhookReceiver.start();
      const { key, workspaceId } = await ctx().newWorkspace();
      const other = await ctx().newWorkspace();
      await importCsv(ctx(), key, CSV, { webhookUrl: receiver.url() }).expect(200);
      await importCsv(ctx(), other.key, CSV, { webhookUrl: receiver.url() }).expect(200);
      const [first, second] = await arrived(2);
      const secrets = ctx().dataSource.getRepository(WebhookSecret);
      const made = (await secrets.findOneByOrFail({ workspaceId })).secret;
      const otherMade = (await secrets.findOneByOrFail({ workspaceId: other.workspaceId })).secret;
      expect(made).not.toBe(otherMade);
      const signedWith = (hook: ReceivedWebhook) =>
        JSON.parse(hook.body).workspaceId === workspaceId ? made : otherMade;
      for (const hook of [first, second])
        expect(hook.headers['x-leadport-signature']).toBe(hmac(signedWith(hook), hook.body));

      const printed = await cliSecret(workspaceId);
      expect(printed).not.toBe(made);
      await importCsv(ctx(), key, CSV, { webhookUrl: receiver.url() }).expect(200);
      const third = (await arrived(3))[2];
      expect(third.headers['x-leadport-signature']).toBe(hmac(printed, third.body));
      expect(third.headers['x-leadport-signature']).not.toBe(hmac(made, third.body));
    });

    it('tries again after a 500, with the same delivery id, body and signature', async () => {
      receiver = await WebhookReceiver.start([500]);
      const { key } = await ctx().newWorkspace();
      const res = await importCsv(ctx(), key, CSV, { webhookUrl: receiver.url(), dryRun: 'true' }).expect(200);
      const [failed, retried] = await arrived(2);
      expect(retried.headers['x-leadport-delivery']).toBe(failed.headers['x-leadport-delivery']);
      expect(retried.body).toBe(failed.body);
      expect(retried.headers['x-leadport-signature']).toBe(failed.headers['x-leadport-signature']);
      expect(retried.headers['x-leadport-event']).toBe('import.previewed');
      expect(await settled(res.body.data.importId)).toMatchObject({
        status: 'delivered',
        attempts: 2,
        lastStatusCode: 200,
      });
    });

    it('gives up on a dead receiver once the retry window is over; the import itself completes', async () => {
      const { key } = await ctx().newWorkspace();
      const res = await importCsv(ctx(), key, CSV, { webhookUrl: await deadUrl() }).expect(200);
      const { importId } = res.body.data;
      expect(res.body.data.imported).toBe(1);
      const detail = () => ctx().http().get(`/v1/leads/imports/${importId}`).set('X-Api-Key', key).expect(200);
      expect((await detail()).body.data.status).toBe('completed');

      const ended = await settled(importId);
      expect(ended.status).toBe('failed');
      expect(ended.attempts).toBeGreaterThanOrEqual(3);
      expect(ended.lastError).toContain('ECONNREFUSED');
      expect(ended.lastStatusCode).toBeNull();
      expect(ended.finishedAt!.getTime() - ended.firstAttemptAt!.getTime()).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
      expect((await detail()).body.data.webhook).toMatchObject({
        status: 'failed',
        attempts: ended.attempts,
        lastError: ended.lastError,
        nextAttemptAt: null,
      });
    });

    it('announces an import that a sweep found left by a dead process, as import.interrupted', async () => {
      receiver = await WebhookReceiver.start();
      const { workspaceId } = await ctx().newWorkspace();
      const importId = await ctx()
        .app.get(ImportHistory)
        .start({
          workspaceId,
          apiKeyId: newId(),
          fileName: 'big.csv',
          fileBytes: 1_000_000,
          options: { skipDuplicates: true, dataCleanup: true, tag: null, mapping: null, webhookUrl: receiver.url() },
          totalRows: 5_000,
        });
      const silentSince = new Date(Date.now() - 60_000);
      await ctx().dataSource.getRepository(ImportRecord).update({ id: importId }, { updatedAt: silentSince });
      expect(await ctx().app.get(StaleImportSweeper).markStaleInterrupted(30_000)).toBe(1);

      const [hook] = await arrived(1);
      expect(hook.headers['x-leadport-event']).toBe('import.interrupted');
      expect(JSON.parse(hook.body).data).toMatchObject({
        importId,
        status: 'interrupted',
        fileName: 'big.csv',
        totalRows: 5_000,
        imported: 0,
        failureReason: expect.stringContaining('send the same file again'),
        csvInfo: null,
        errorsUrl: null,
      });
    });

    /** Another instance of the app on the same database, as a second replica would be. */
    async function secondInstance(): Promise<NestExpressApplication> {
      const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(ctx().config)] }).compile();
      const second = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
      await second.init();
      return second;
    }

    it('on shutdown, cuts an attempt short and leaves the delivery to be retried', async () => {
      receiver = await WebhookReceiver.start([0, 0, 0]);
      // On a database of its own: no other instance's poller can take the attempt.
      const own = await startTestApp(ctx().kind, ENV);
      try {
        const { workspaceId } = await own.newWorkspace();
        const importId = newId();
        await own.app
          .get(WebhookDeliveries)
          .enqueue({ workspaceId, importId, url: receiver.url(), event: 'import.completed', data: {} });
        await arrived(1);
        await own.app.get(WebhookPoller).beforeApplicationShutdown();
        expect(await own.dataSource.getRepository(WebhookDelivery).findOneByOrFail({ importId })).toMatchObject({
          status: 'pending',
          lastError: 'The server shut down during the attempt.',
        });
      } finally {
        await own.close();
      }
    });

    it('two instances on one database send each delivery once', async () => {
      receiver = await WebhookReceiver.start();
      const second = await secondInstance();
      try {
        const { workspaceId } = await ctx().newWorkspace();
        const queues = [ctx().app.get(WebhookDeliveries), second.get(WebhookDeliveries)];
        const url = receiver.url();
        const ids = await Promise.all(
          Array.from({ length: 20 }, (_, n) =>
            queues[n % 2].enqueue({ workspaceId, importId: newId(), url, event: 'import.completed', data: { n } }),
          ),
        );
        const repository = ctx().dataSource.getRepository(WebhookDelivery);
        await eventually(
          async () => ((await repository.countBy({ workspaceId, status: 'delivered' })) === 20 ? true : undefined),
          'every delivery is delivered',
        );
        const received = receiver.received.map((hook) => hook.headers['x-leadport-delivery']);
        expect(received.sort()).toEqual([...ids].sort());
      } finally {
        await second.close();
      }
    });
  },
  ENV,
);
