import { newId } from '../src/common/object-id';
import { ImportRecord, ImportStatus } from '../src/import/history/import-record.entity';
import { importCsv, toCsv } from './support/import';
import { describeEachDatabase } from './support/test-app';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample line (`name{labels} value`) of the Prometheus text, or undefined if it is not there. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describeEachDatabase('metrics off (the default)', (ctx) => {
  it('GET /metrics is a 404', async () => {
    const res = await ctx().http().get('/metrics').expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describeEachDatabase(
  'metrics: GET /metrics with METRICS_ENABLED and METRICS_TOKEN',
  (ctx) => {
    const scrape = async () => {
      const res = await ctx().http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
      return res.text;
    };

    it('needs the token: none or a wrong one is a 401, an API key is not enough', async () => {
      const { key } = await ctx().newWorkspace();
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${key}`]) {
        let req = ctx().http().get('/metrics');
        if (authorization) req = req.set('Authorization', authorization);
        const res = await req.expect(401);
        expect(res.body.error).toEqual({ code: 'UNAUTHORIZED', message: expect.stringContaining('METRICS_TOKEN') });
        expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      }
      expect(await scrape()).toContain('# TYPE leadport_http_requests_total counter');
    });

    it('counts import rows by outcome, import durations and HTTP requests by route template', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const before = await scrape();
      const rows = (outcome: string, text: string) => sample(text, 'leadport_import_rows_total', { outcome }) ?? 0;
      const imports = (text: string) =>
        sample(text, 'leadport_import_duration_seconds_count', { mode: 'sync', status: 'completed' }) ?? 0;
      const csv = toCsv([
        ['Email', 'First Name'],
        ['ann@metrics.test', 'Ann'],
        ['bob@metrics.test', 'Bob'],
        ['bob@metrics.test', 'Bob again'],
        ['not-an-email', 'Nobody'],
      ]);
      const first = await importCsv(ctx(), key, csv).expect(200);
      await importCsv(ctx(), key, toCsv([['Email'], ['ann@metrics.test']]), { skipDuplicates: 'false' }).expect(200);
      await importCsv(ctx(), key, csv, { dryRun: 'true' }).expect(200);
      await ctx().http().get(`/v1/leads/imports/${first.body.data.importId}`).set('X-Api-Key', key).expect(200);
      await ctx().http().get(`/v1/leads/imports/${newId()}`).set('X-Api-Key', key).expect(404);
      await ctx().http().get('/no/such/route').set('X-Api-Key', key).expect(404);

      const after = await scrape();
      // The preview is timed but its rows are not counted: it writes nothing.
      expect(rows('imported', after) - rows('imported', before)).toBe(2);
      expect(rows('updated', after) - rows('updated', before)).toBe(1);
      expect(rows('skipped', after) - rows('skipped', before)).toBe(1);
      expect(rows('failed', after) - rows('failed', before)).toBe(1);
      expect(imports(after) - imports(before)).toBe(2);
      expect(sample(after, 'leadport_import_duration_seconds_count', { mode: 'sync', status: 'previewed' })).toBe(1);
      expect(sample(after, 'leadport_imports_running')).toBe(0);

      const requests = (route: string, status: string, text: string) =>
        sample(text, 'leadport_http_requests_total', { method: 'GET', route, status_code: status }) ?? 0;
      expect(requests('/v1/leads/imports/:id', '200', after) - requests('/v1/leads/imports/:id', '200', before)).toBe(
        1,
      );
      expect(requests('/v1/leads/imports/:id', '404', after) - requests('/v1/leads/imports/:id', '404', before)).toBe(
        1,
      );
      expect(requests('(unmatched)', '404', after) - requests('(unmatched)', '404', before)).toBe(1);
      const posts = { method: 'POST', route: '/v1/leads/import/csv', status_code: '200' };
      expect(sample(after, 'leadport_http_requests_total', posts)).toBe(3);
      expect(sample(after, 'leadport_http_request_duration_seconds_count', posts)).toBe(3);
      expect(sample(after, 'leadport_http_request_duration_seconds_bucket', { ...posts, le: '+Inf' })).toBe(3);

      // No id, workspace, email or key is ever a label: only route templates.
      expect(after).not.toContain(first.body.data.importId);
      expect(after).not.toContain(workspaceId);
      expect(after).not.toContain('metrics.test');
      expect(after).not.toContain(key);
      expect(after).not.toContain('/no/such/route');
    });

    it('reports the queued imports from the database, and the process metrics', async () => {
      const { workspaceId } = await ctx().newWorkspace();
      const before = sample(await scrape(), 'leadport_imports_queued');
      const now = new Date();
      // A record as an async import leaves it until a worker starts it.
      await ctx()
        .dataSource.getRepository(ImportRecord)
        .insert({
          id: newId(),
          workspaceId,
          status: 'queued' as ImportStatus,
          fileBytes: 10,
          options: { skipDuplicates: true, dataCleanup: true, tag: null, mapping: null },
          totalRows: 0,
          imported: 0,
          updated: 0,
          skipped: 0,
          failed: 0,
          createdAt: now,
          updatedAt: now,
        });
      const text = await scrape();
      expect(sample(text, 'leadport_imports_queued')).toBe((before ?? 0) + 1);
      expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(sample(text, 'leadport_import_queue_wait_seconds_count')).toBe(0);
    });

    it('reports the MySQL pool in use (absent on SQLite, which has no pool)', async () => {
      const text = await scrape();
      if (ctx().kind === 'mysql') {
        expect(sample(text, 'leadport_db_pool_connections_max')).toBe(20);
        // Two connections held (as two open transactions would): at least those two are in use.
        const held = [ctx().dataSource.createQueryRunner(), ctx().dataSource.createQueryRunner()];
        for (const runner of held) await runner.connect();
        try {
          const inUse = sample(await scrape(), 'leadport_db_pool_connections_in_use');
          expect(inUse).toBeGreaterThanOrEqual(2);
          expect(inUse).toBeLessThanOrEqual(20);
        } finally {
          for (const runner of held) await runner.release();
        }
      } else {
        expect(sample(text, 'leadport_db_pool_connections_in_use')).toBeUndefined();
      }
    });

    it('is not rate limited and not in the envelope', async () => {
      const text = await scrape();
      expect(text.startsWith('{')).toBe(false);
      // More scrapes than RATE_LIMIT_PER_MINUTE allows a key.
      const answers = await Promise.all(Array.from({ length: 12 }, () => scrape()));
      expect(answers).toHaveLength(12);
    });
  },
  { METRICS_ENABLED: 'true', METRICS_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '10' },
);

describeEachDatabase(
  'metrics without a token',
  (ctx) => {
    it('answers any scraper', async () => {
      const res = await ctx().http().get('/metrics').expect(200);
      expect(res.text).toContain('leadport_import_rows_total{outcome="imported"} 0');
    });
  },
  { METRICS_ENABLED: 'true' },
);
