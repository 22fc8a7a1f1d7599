import { randomBytes } from 'node:crypto';
import { expectError, importCsv, toCsv, uniqueLeadsCsv } from './support/import';
import { describeWithRedis, TEST_REDIS_URL, testRedis } from './support/redis';
import { describeEachDatabase, TestContext } from './support/test-app';

interface ImportDetail {
  id: string;
  status: string;
  progress: { rowsDone: number; totalRows: number };
  errorCode: string | null;
  failureReason: string | null;
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  totalRows: number;
  importedLeadIds: string[];
  errors: Array<{ row: number; email: string; error: string }>;
  csvInfo: unknown;
  options: unknown;
}

/** A file with repeats, invalid emails and a custom column: every kind of row outcome. */
function mixedCsv(rows: number, domain: string): string {
  return toCsv([
    ['Email', 'First Name', 'Company', 'Industry'],
    ...Array.from({ length: rows }, (_, i) => {
      if (i % 50 === 7) return [`not-an-email-${i}`, `Bad${i}`, 'Acme', 'Retail'];
      if (i % 40 === 3) return [`lead${i - 1}@${domain}`, `Repeat${i}`, 'Acme', 'Retail'];
      return [`lead${i}@${domain}`, `First${i}`, `Company ${i % 13}`, 'Software'];
    }),
  ]);
}

async function getImport(ctx: TestContext, key: string, id: string): Promise<ImportDetail> {
  const res = await ctx.http().get(`/v1/leads/imports/${id}`).set('X-Api-Key', key).expect(200);
  return res.body.data as ImportDetail;
}

/** Polls the record until it leaves queued/processing; returns every record seen on the way and the last. */
async function untilEnded(ctx: TestContext, key: string, id: string, intervalMs = 20) {
  const seen: ImportDetail[] = [];
  for (let i = 0; i < 3000; i++) {
    const record = await getImport(ctx, key, id);
    seen.push(record);
    if (!['queued', 'processing'].includes(record.status)) return { record, seen };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`import ${id} did not end`);
}

/** The report as the record keeps it, without what differs between two imports of one file (ids, times). */
function comparable(record: ImportDetail) {
  const { imported, updated, skipped, failed, totalRows, errors, csvInfo, options, progress, status } = record;
  return { status, imported, updated, skipped, failed, totalRows, errors, csvInfo, options, progress };
}

/** Resolves once the import's upload is gone (it is dropped right after its record ends); fails if it stays. */
async function uploadDropped(ctx: TestContext, id: string): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    const [{ n }] = await ctx.dataSource.query('SELECT COUNT(*) AS n FROM import_uploads WHERE import_id = ?', [id]);
    if (Number(n) === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** The features an async import meets: webhooks (to a loopback receiver) and metrics. */
const FEATURES = { WEBHOOK_ALLOW_PRIVATE: 'true', METRICS_ENABLED: 'true' };

function suite(ctx: () => TestContext) {
  it('async=true answers 202 with Location, and the import ends as the same file imported synchronously', async () => {
    const csv = mixedCsv(2500, 'async.test');
    const sync = await ctx().newWorkspace();
    const syncRes = await importCsv(ctx(), sync.key, csv, { tag: 'spring' }).expect(200);

    const { key, workspaceId } = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, csv, { tag: 'spring', async: 'true' }).expect(202);
    const { importId } = res.body.data as { importId: string };
    expect(res.body).toEqual({
      success: true,
      data: { importId, status: 'queued', statusUrl: `/v1/leads/imports/${importId}` },
    });
    expect(res.headers.location).toBe(`/v1/leads/imports/${importId}`);

    const { record } = await untilEnded(ctx(), key, importId);
    const syncRecord = await getImport(ctx(), sync.key, syncRes.body.data.importId as string);
    expect(comparable(record)).toEqual(comparable(syncRecord));
    expect(record).toMatchObject({ status: 'completed', errorCode: null, failureReason: null });
    expect(record.progress).toEqual({ rowsDone: 2500, totalRows: 2500 });
    expect(record.importedLeadIds).toHaveLength(syncRes.body.data.imported);
    const [{ n }] = await ctx().dataSource.query('SELECT COUNT(*) AS n FROM leads WHERE workspace_id = ?', [
      workspaceId,
    ]);
    expect(Number(n)).toBe(syncRes.body.data.imported);
    expect(await uploadDropped(ctx(), importId)).toBe(true);
  });

  it('Prefer: respond-async does the same; a 5 MB file is stored in chunks and read back whole; progress moves', async () => {
    const { key } = await ctx().newWorkspace();
    // ~5 MB: five chunks; 25 batches, more than MySQL writes at once, so that progress is seen between them.
    const csv = uniqueLeadsCsv(25_000, 'chunks.test');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);
    const res = await ctx()
      .http()
      .post('/v1/leads/import/csv')
      .set('X-Api-Key', key)
      .set('Prefer', 'respond-async, wait=10')
      .attach('file', Buffer.from(csv), { filename: 'big.csv', contentType: 'text/csv' })
      .expect(202);
    const { record, seen } = await untilEnded(ctx(), key, res.body.data.importId as string, 5);
    expect(record).toMatchObject({ status: 'completed', imported: 25_000, failed: 0, totalRows: 25_000 });
    // Progress moves by batches and never backwards.
    const done = seen.map((r) => r.progress.rowsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.every((rows) => rows % 1000 === 0)).toBe(true);
    expect(done.some((rows) => rows > 0 && rows < 25_000)).toBe(true);
  });

  it('answers the checks that need no row at once, and keeps no record for them', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const csv = toCsv([['Email'], ['a@b.example']]);
    const asyncForm = { async: 'true' };
    expectError(
      await ctx().http().post('/v1/leads/import/csv').set('X-Api-Key', key).field('async', 'true'),
      400,
      'VALIDATION_ERROR',
    );
    const badMapping = await importCsv(ctx(), key, csv, { ...asyncForm, mapping: '{nope' });
    expectError(badMapping, 400, 'VALIDATION_ERROR');
    expect(badMapping.body.error.message).toBe('Invalid mapping JSON');
    const badFlag = await importCsv(ctx(), key, csv, { ...asyncForm, skipDuplicates: 'maybe' });
    expect(badFlag.body.error.message).toBe('skipDuplicates must be true or false (1/0 and yes/no are accepted too).');
    const badAsync = await importCsv(ctx(), key, csv, { async: 'soon' });
    expectError(badAsync, 400, 'VALIDATION_ERROR');
    expect(badAsync.body.error.message).toBe('async must be true or false (1/0 and yes/no are accepted too).');
    expectError(await importCsv(ctx(), 'sk_wrong_key_000000000000', csv, asyncForm), 401, 'UNAUTHORIZED');
    const records = await ctx().dataSource.query('SELECT id FROM imports WHERE workspace_id = ?', [workspaceId]);
    expect(records).toEqual([]);
  });

  it('a file that fails on its rows ends failed with the code and message the sync call answers', async () => {
    const { key } = await ctx().newWorkspace();
    const files: Array<[string, string | Buffer]> = [
      [
        'no email column',
        toCsv([
          ['Name', 'Company'],
          ['Ada', 'Acme'],
        ]),
      ],
      ['empty', 'Email\r\n'],
      ['xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(200)])],
    ];
    for (const [what, file] of files) {
      const sync = await importCsv(ctx(), key, file);
      expect([what, sync.status]).toEqual([what, 400]);
      const res = await importCsv(ctx(), key, file, { async: 'true' }).expect(202);
      const { record } = await untilEnded(ctx(), key, res.body.data.importId as string);
      expect([what, record.status, record.errorCode, record.failureReason]).toEqual([
        what,
        'failed',
        sync.body.error.code,
        sync.body.error.message,
      ]);
      expect(record).toMatchObject({ imported: 0, failed: 0, progress: { rowsDone: 0, totalRows: 0 } });
      expect(await uploadDropped(ctx(), record.id)).toBe(true);
    }
  });

  it('with the other import features: an Idempotency-Key replays the 202, the webhook and the metrics see it end', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = uniqueLeadsCsv(1500, 'together.test');
    const send = () =>
      importCsv(ctx(), key, csv, { async: 'true', webhookUrl: 'http://127.0.0.1:9/hook' }).set(
        'Idempotency-Key',
        'async-import-1',
      );
    const first = await send().expect(202);
    const again = await send().expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.body).toEqual(first.body);
    const importId = first.body.data.importId as string;
    const { record } = await untilEnded(ctx(), key, importId);
    expect(record).toMatchObject({ status: 'completed', imported: 1500 });
    const [{ n }] = await ctx().dataSource.query("SELECT COUNT(*) AS n FROM leads WHERE email LIKE '%@together.test'");
    expect(Number(n)).toBe(1500); // imported once
    const deliveries: Array<{ event: string }> = await ctx().dataSource.query(
      'SELECT event FROM webhook_deliveries WHERE import_id = ?',
      [importId],
    );
    expect(deliveries.map((delivery) => delivery.event)).toEqual(['import.completed']);
    const metrics = await ctx().http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/leadport_import_duration_seconds_count\{mode="async",status="completed"\} [1-9]/);
    expect(metrics.text).toMatch(/leadport_import_queue_wait_seconds_count [1-9]/);
  });

  it('a sync import shows its progress too, and a record of another workspace stays invisible', async () => {
    const { key } = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, uniqueLeadsCsv(1200, 'progress.test')).expect(200);
    const record = await getImport(ctx(), key, res.body.data.importId as string);
    expect(record.progress).toEqual({ rowsDone: 1200, totalRows: 1200 });

    const other = await ctx().newWorkspace();
    const queued = await importCsv(ctx(), key, uniqueLeadsCsv(10, 'mine.test'), { async: 'true' });
    await ctx().http().get(queued.headers.location).set('X-Api-Key', other.key).expect(404);
  });
}

describeEachDatabase('async imports, in-process queue', suite, FEATURES);

// The same behaviour on BullMQ, when a Redis for tests is given (TEST_REDIS_URL).
describeWithRedis('Redis: async imports on the BullMQ queue', () => {
  const redis = testRedis();
  afterAll(() => redis.cleanUp());
  describeEachDatabase('async imports, BullMQ queue', suite, { ...FEATURES, ...(TEST_REDIS_URL ? redis.env : {}) });
});
