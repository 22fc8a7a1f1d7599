import { DataSource } from 'typeorm';
import { parseImportForm } from '../src/import/dto/import-csv.form';
import { IdempotencyKey } from '../src/import/idempotency/idempotency-key.entity';
import { IdempotencyStore } from '../src/import/idempotency/idempotency-store';
import { requestFingerprint } from '../src/import/idempotency/request-fingerprint';
import { ImportService } from '../src/import/import.service';
import { Lead } from '../src/leads/lead.entity';
import { findEverywhere } from './support/database-scan';
import { ImportFields, importCsv, toCsv, uniqueLeadsCsv } from './support/import';
import { DATABASES } from './support/databases';
import { describeEachDatabase, startTestApp, TestContext } from './support/test-app';

const KEY_HEADER = 'Idempotency-Key';
const small = toCsv([
  ['Email', 'First Name'],
  ['ann@acme.com', 'Ann'],
  ['bob@acme.com', 'Bob'],
  ['not-an-email', 'Nobody'],
]);

function send(ctx: TestContext, key: string, idempotencyKey: string, csv: string, fields: ImportFields = {}) {
  return importCsv(ctx, key, csv, fields).set(KEY_HEADER, idempotencyKey);
}

const leadCount = (ctx: TestContext, workspaceId: string) =>
  ctx.dataSource.getRepository(Lead).countBy({ workspaceId });

const importCount = async (ctx: TestContext, key: string) => {
  const res = await ctx.http().get('/v1/leads/imports').set('X-Api-Key', key).expect(200);
  return (res.body.data.imports as unknown[]).length;
};

async function waitFor(what: string, condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting until ${what}`);
}

const keyRow = (dataSource: DataSource, workspaceId: string, key: string) =>
  dataSource.getRepository(IdempotencyKey).findOneBy({ workspaceId, key });

describeEachDatabase(
  'Idempotency-Key on POST /v1/leads/import/csv',
  (ctx) => {
    it('replays the report of the first request: same status and body, nothing imported twice', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const first = await send(ctx(), key, 'order-1', small, { tag: 'fair' }).expect(200);
      expect(first.body.data).toMatchObject({ imported: 2, failed: 1 });
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      const again = await send(ctx(), key, 'order-1', small, { tag: 'fair' }).expect(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await leadCount(ctx(), workspaceId)).toBe(2);
      expect(await importCount(ctx(), key)).toBe(1);
    });

    it('treats the same options spelled differently as the same request', async () => {
      const { key } = await ctx().newWorkspace();
      const mapping = '{"Email": "email", "First Name": "firstName"}';
      const first = await send(ctx(), key, 'spelled', small, { skipDuplicates: 'true', mapping }).expect(200);
      const again = await send(ctx(), key, 'spelled', small, {
        skipDuplicates: 'yes',
        mapping: '{ "First Name":"firstName","Email":"email" }',
      }).expect(200);
      expect(again.body).toEqual(first.body);
    });

    it('replays a 400 for a file that could not be imported', async () => {
      const { key } = await ctx().newWorkspace();
      const noEmail = toCsv([['Name'], ['Ann']]);
      const first = await send(ctx(), key, 'bad-file', noEmail).expect(400);
      expect(first.body.error.message).toContain('No email column detected');
      const again = await send(ctx(), key, 'bad-file', noEmail).expect(400);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await importCount(ctx(), key)).toBe(0);
    });

    it('refuses the key with another file or other options: 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      await send(ctx(), key, 'reused', small).expect(200);
      const otherFile = await send(ctx(), key, 'reused', toCsv([['Email'], ['cy@acme.com']])).expect(422);
      expect(otherFile.body).toEqual({
        success: false,
        error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringContaining('Use a new key') },
      });
      const otherOptions = await send(ctx(), key, 'reused', small, { skipDuplicates: 'false' }).expect(422);
      expect(otherOptions.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const otherTag = await send(ctx(), key, 'reused', small, { tag: 'x' }).expect(422);
      expect(otherTag.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await leadCount(ctx(), workspaceId)).toBe(2);
      expect(await importCount(ctx(), key)).toBe(1);
    });

    it('is documented in Swagger: the header, and the 409 and 422 with the messages the service really sends', async () => {
      const { key } = await ctx().newWorkspace();
      await send(ctx(), key, 'documented', small).expect(200);
      const reused = await send(ctx(), key, 'documented', toCsv([['Email'], ['cy@acme.com']])).expect(422);
      const doc = (await ctx().http().get('/docs-json').expect(200)).body;
      const operation = doc.paths['/v1/leads/import/csv'].post;
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
      );
      const examples = (status: string) =>
        Object.values(operation.responses[status].content['application/json'].examples).map(
          (example) => (example as { value: unknown }).value,
        );
      expect(examples('422')).toContainEqual(reused.body);
      expect(examples('409')).toContainEqual({
        success: false,
        error: { code: 'CONFLICT', message: expect.stringContaining('Idempotency-Key is still running') },
      });
    });

    it('keys are per workspace: the same key in another workspace is a new import', async () => {
      const one = await ctx().newWorkspace();
      const two = await ctx().newWorkspace();
      const first = await send(ctx(), one.key, 'shared-key', small).expect(200);
      const other = await send(ctx(), two.key, 'shared-key', toCsv([['Email'], ['zed@acme.com']])).expect(200);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
      expect(other.body.data).toMatchObject({ imported: 1 });
      expect(other.body.data.importId).not.toBe(first.body.data.importId);
      expect(await leadCount(ctx(), two.workspaceId)).toBe(1);
      // And the first workspace still replays its own answer.
      expect((await send(ctx(), one.key, 'shared-key', small).expect(200)).body).toEqual(first.body);
    });

    it('concurrent requests with one key: exactly one imports, the others get 409 or its replay', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const csv = uniqueLeadsCsv(3000, 'race.test');
      const answers = await Promise.all([1, 2, 3].map(() => send(ctx(), key, 'race', csv).then((res) => res)));
      const ran = answers.filter((res) => res.status === 200 && res.headers['idempotent-replayed'] === undefined);
      expect(ran).toHaveLength(1);
      expect(ran[0].body.data).toMatchObject({ imported: 3000 });
      for (const res of answers.filter((answer) => answer !== ran[0])) {
        if (res.status === 409) {
          expect(res.body.error.code).toBe('CONFLICT');
          expect(res.headers['retry-after']).toBe('5');
        } else {
          expect(res.status).toBe(200);
          expect(res.body).toEqual(ran[0].body);
        }
      }
      expect(await leadCount(ctx(), workspaceId)).toBe(3000);
      expect(await importCount(ctx(), key)).toBe(1);
    }, 60_000);

    it('while the first request runs, the key answers 409 with Retry-After, then the result', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const csv = uniqueLeadsCsv(6000, 'slow.test');
      const first = send(ctx(), key, 'slow', csv).then((res) => res);
      await waitFor(
        'the key to be claimed',
        async () => (await keyRow(ctx().dataSource, workspaceId, 'slow')) !== null,
      );
      const busy = await send(ctx(), key, 'slow', csv);
      const done = await first;
      expect(done.status).toBe(200);
      // The import may have finished in the meantime: then the answer is its replay.
      if (busy.status === 409) {
        expect(busy.headers['retry-after']).toBe('5');
        expect(busy.body.error.message).toContain('still running');
      } else {
        expect(busy.body).toEqual(done.body);
      }
      expect((await send(ctx(), key, 'slow', csv).expect(200)).body).toEqual(done.body);
      expect(await leadCount(ctx(), workspaceId)).toBe(6000);
    }, 60_000);

    it('a key held by a request running elsewhere (another replica) answers 409 with Retry-After', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const now = new Date();
      await ctx()
        .dataSource.getRepository(IdempotencyKey)
        .insert({
          workspaceId,
          key: 'elsewhere',
          claimId: '6b0912c54843868768f9157e',
          fingerprint: requestFingerprint(Buffer.from(small), parseImportForm({})),
          state: 'running',
          response: null,
          createdAt: now,
          updatedAt: now,
          expiresAt: new Date(now.getTime() + 60_000),
        });
      const res = await send(ctx(), key, 'elsewhere', small).expect(409);
      expect(res.body).toEqual({
        success: false,
        error: { code: 'CONFLICT', message: expect.stringContaining('is still running. Retry after 5 s') },
      });
      expect(res.headers['retry-after']).toBe('5');
      expect(await leadCount(ctx(), workspaceId)).toBe(0);
    });

    it('replays a stored answer with its status and Location header (as an async import stores it)', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const now = new Date();
      const accepted = { importId: '6b0912c54843868768f9157b', status: 'queued' };
      await ctx()
        .dataSource.getRepository(IdempotencyKey)
        .insert({
          workspaceId,
          key: 'async-1',
          claimId: '6b0912c54843868768f9157c',
          fingerprint: requestFingerprint(Buffer.from(small), parseImportForm({})),
          state: 'done',
          response: {
            status: 202,
            headers: { location: '/v1/leads/imports/6b0912c54843868768f9157b' },
            body: { success: true, data: accepted },
          },
          createdAt: now,
          updatedAt: now,
          expiresAt: new Date(now.getTime() + 60_000),
        });
      const res = await send(ctx(), key, 'async-1', small).expect(202);
      expect(res.body).toEqual({ success: true, data: accepted });
      expect(res.headers.location).toBe('/v1/leads/imports/6b0912c54843868768f9157b');
      expect(await leadCount(ctx(), workspaceId)).toBe(0);
    });

    it('a claim left by a dead process, or a key past its 24 hours, does not block: the import runs', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const repo = ctx().dataSource.getRepository(IdempotencyKey);
      // Untouched for longer than IMPORT_STALE_AFTER_MS (60 s), though its 24 hours are not over.
      const long = new Date(Date.now() - 10 * 60_000);
      const row = { claimId: '6b0912c54843868768f9157d', response: null, createdAt: long, updatedAt: long };
      const later = new Date(Date.now() + 60 * 60_000);
      await repo.insert({
        ...row,
        workspaceId,
        key: 'orphan',
        fingerprint: 'x'.repeat(64),
        state: 'running',
        expiresAt: later,
      });
      const expired = { fingerprint: 'y'.repeat(64), state: 'done' as const, expiresAt: new Date(Date.now() - 1000) };
      await repo.insert({ ...row, workspaceId, key: 'expired', ...expired });

      expect((await send(ctx(), key, 'orphan', small).expect(200)).body.data).toMatchObject({ imported: 2 });
      const second = await send(ctx(), key, 'expired', toCsv([['Email'], ['new@acme.com']])).expect(200);
      expect(second.body.data).toMatchObject({ imported: 1 });
      expect(await repo.findOneByOrFail({ workspaceId, key: 'orphan' })).toMatchObject({ state: 'done' });
    });

    it('erasing a lead (erase=true) scrubs its address from the stored answers too', async () => {
      const { key } = await ctx().newWorkspace();
      const address = `erase.me.${Date.now()}@example.com`;
      await importCsv(ctx(), key, toCsv([['Email'], [address]])).expect(200);
      // A row that fails (a name over its length limit): the report's errors hold the address.
      const csv = toCsv([
        ['Email', 'First Name'],
        [`<${address.toUpperCase()}>`, 'x'.repeat(600)],
      ]);
      const first = await send(ctx(), key, 'erase-me', csv, { skipDuplicates: 'false' }).expect(200);
      expect(JSON.stringify(first.body.data.errors).toLowerCase()).toContain(address);
      const [lead] = (await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200)).body.data.leads;
      await ctx().http().delete(`/v1/leads/${lead.id}?erase=true`).set('X-Api-Key', key).expect(200);
      expect(await findEverywhere(ctx().dataSource, address)).toEqual([]);
      const replay = await send(ctx(), key, 'erase-me', csv, { skipDuplicates: 'false' }).expect(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(JSON.stringify(replay.body).toLowerCase()).not.toContain(address);
      expect(replay.body.data.importId).toBe(first.body.data.importId);
    });

    it('purges keys past their 24 hours', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      await send(ctx(), key, 'to-purge', small).expect(200);
      const store = ctx().app.get(IdempotencyStore);
      expect(await store.purgeExpired()).toBe(0);
      expect(await store.purgeExpired(new Date(Date.now() + 25 * 60 * 60 * 1000))).toBeGreaterThanOrEqual(1);
      expect(await keyRow(ctx().dataSource, workspaceId, 'to-purge')).toBeNull();
    });

    it.each([
      ['empty', '', 'it is empty'],
      ['too long', 'k'.repeat(256), 'it has 256 characters'],
      ['not ASCII', 'clé-1', 'outside that range'],
    ])('a bad key (%s) is a 400 that says what a key must be', async (_case, badKey, problem) => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const res = await send(ctx(), key, badKey, small).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.message).toContain('Idempotency-Key must be 1 to 255 printable ASCII characters');
      expect(res.body.error.message).toContain(problem);
      expect(await leadCount(ctx(), workspaceId)).toBe(0);
    });

    it('accepts a key of 255 printable characters, spaces and punctuation included', async () => {
      const { key } = await ctx().newWorkspace();
      const longKey = `a b!~${'z'.repeat(250)}`;
      const first = await send(ctx(), key, longKey, small).expect(200);
      expect((await send(ctx(), key, longKey, small).expect(200)).body).toEqual(first.body);
    });
  },
  { IMPORT_MAX_CONCURRENT_PER_KEY: '4', IMPORT_MAX_CONCURRENT_PER_WORKSPACE: '4' },
);

for (const kind of DATABASES) {
  describe(`Idempotency-Key after a failure on our side [${kind}]`, () => {
    it('a first request that ends in 503 frees its key for a retry', async () => {
      const ctx = await startTestApp(kind);
      try {
        const { key, workspaceId } = await ctx.newWorkspace();
        const upload = send(ctx, key, 'retry-me', uniqueLeadsCsv(20_000, 'stop.test')).then((res) => res);
        await waitFor('a batch to be written', async () => (await leadCount(ctx, workspaceId)) > 0);
        expect(await keyRow(ctx.dataSource, workspaceId, 'retry-me')).toMatchObject({ state: 'running' });
        await ctx.app.get(ImportService).interruptRunning();
        const res = await upload;
        expect(res.status).toBe(503);
        expect(await keyRow(ctx.dataSource, workspaceId, 'retry-me')).toBeNull();
      } finally {
        await ctx.close();
      }
    }, 120_000);
  });
}
