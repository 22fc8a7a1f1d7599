import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachDatabase } from './support/test-app';

describeEachDatabase('service basics', (ctx) => {
  it('answers liveness and readiness probes without a key', async () => {
    expect((await ctx().http().get('/health/live').expect(200)).body).toEqual({
      success: true,
      data: { status: 'ok' },
    });
    const ready = await ctx().http().get('/health/ready').expect(200);
    expect(ready.body.data.info.database.status).toBe('up');
  });

  it('reports not ready with a 503 envelope when the database is gone', async () => {
    const { startTestApp } = await import('./support/test-app');
    const local = await startTestApp(ctx().kind);
    await local.dataSource.destroy();
    const res = await local.http().get('/health/ready').expect(503);
    expect(res.body).toEqual({ success: false, error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
    await local.dataSource.initialize();
    await local.close();
  });

  it('publishes the OpenAPI document with both key schemes, every route and the error envelope', async () => {
    const res = await ctx().http().get('/docs-json').expect(200);
    const doc = res.body;
    expect(doc.components.securitySchemes).toMatchObject({
      apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      bearer: { type: 'http', scheme: 'bearer' },
    });
    expect(Object.keys(doc.paths).sort()).toEqual(
      expect.arrayContaining([
        '/v1/leads',
        '/v1/leads/{id}',
        '/v1/custom-fields',
        '/v1/leads/imports',
        '/v1/leads/imports/{id}',
        '/health/live',
        '/health/ready',
      ]),
    );
    expect(doc.components.schemas.ErrorEnvelopeDto).toBeDefined();
    await ctx().http().get('/docs').expect(200);
  });

  it('describes both schemes as API keys, either one enough, and leaves the health probes without a lock', async () => {
    const doc = (await ctx().http().get('/docs-json').expect(200)).body;
    const { apiKey, bearer } = doc.components.securitySchemes;
    for (const scheme of [apiKey, bearer]) {
      expect(scheme.description).toContain('`sk_…`');
      expect(scheme.description).toContain('`sk_user_…`');
      expect(scheme.description).toContain('Either header is enough');
    }
    expect(bearer.bearerFormat).not.toMatch(/JWT/);
    expect(doc.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
    expect(doc.paths['/health/live'].get.security).toEqual([]);
    expect(doc.paths['/health/ready'].get.security).toEqual([]);
    expect(doc.paths['/v1/leads'].get.security).toBeUndefined();
    expect(JSON.stringify(doc)).not.toContain('x-leadport-public');
    expect(doc.servers).toEqual([{ url: '/', description: 'This server' }]);
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(doc.info.version).toBe(version);
  });

  it('gives every error status of every route its own real examples, and the import its whole story', async () => {
    const doc = (await ctx().http().get('/docs-json').expect(200)).body;
    const codes: Record<string, string> = {
      '400': 'VALIDATION_ERROR',
      '401': 'UNAUTHORIZED',
      '403': 'FORBIDDEN',
      '404': 'NOT_FOUND',
      '408': 'REQUEST_TIMEOUT',
      '409': 'CONFLICT',
      '410': 'GONE',
      '413': 'PAYLOAD_TOO_LARGE',
      '422': 'IDEMPOTENCY_KEY_REUSED',
      '429': 'RATE_LIMITED',
      '500': 'INTERNAL_ERROR',
      '503': 'SERVICE_UNAVAILABLE',
    };
    type Example = { value: { success: boolean; error: { code: string; message: string } } };
    const examplesOf = (path: string, method: string, status: string) =>
      Object.values<Example>(doc.paths[path][method].responses[status].content['application/json'].examples);
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const messages = new Set<string>();
        for (const status of Object.keys(operation.responses).filter((s) => Number(s) >= 400)) {
          const examples = examplesOf(path, method, status);
          expect({ path, method, status, count: examples.length > 0 }).toEqual({ path, method, status, count: true });
          for (const { value } of examples) {
            expect(value).toEqual({ success: false, error: { code: codes[status], message: expect.any(String) } });
            expect(messages.has(value.error.message)).toBe(false);
            messages.add(value.error.message);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(30);

    const importCsv = doc.paths['/v1/leads/import/csv'].post;
    const importMessages = examplesOf('/v1/leads/import/csv', 'post', '400').map((e) => e.value.error.message);
    expect(importMessages).toEqual(
      expect.arrayContaining([
        'CSV file is required. Send as multipart/form-data with field name "file".',
        'CSV file is empty',
        'Maximum 50,000 leads per CSV file',
        'No email column detected. Provide a "mapping" field or ensure your CSV has an "email" column.',
        'Invalid mapping JSON',
      ]),
    );
    for (const words of ['**Mapping**', '**Cleanup**', '**Duplicates**', '50,000', '50 MB', 'custom:<Name>', 'E.164']) {
      expect(importCsv.description).toContain(words);
    }
    expect(importCsv.description).not.toContain('docs/import.md');
    // Swagger UI sends a form field's example (or "string"): none may hold a value nobody typed.
    const form = doc.components.schemas.ImportCsvForm.properties;
    for (const field of ['mapping', 'skipDuplicates', 'dataCleanup', 'tag']) {
      expect({ field, example: form[field].example, default: form[field].default }).toEqual({ field, example: '' });
    }

    // The examples are the service's real messages.
    const noKey = await ctx().http().get('/v1/leads').expect(401);
    expect(examplesOf('/v1/leads', 'get', '401').map((e) => e.value)).toContainEqual(noKey.body);
    const { key } = await ctx().newWorkspace();
    const missing = await ctx().http().get('/v1/leads/665d4e5f6a7b8c9d0e1f2a3b').set('X-Api-Key', key).expect(404);
    expect(examplesOf('/v1/leads/{id}', 'get', '404').map((e) => e.value)).toContainEqual(missing.body);
    const noFile = await ctx().http().post('/v1/leads/import/csv').set('X-Api-Key', key).field('tag', 'x').expect(400);
    expect(examplesOf('/v1/leads/import/csv', 'post', '400').map((e) => e.value)).toContainEqual(noFile.body);
  });

  it('wraps unknown routes, bad JSON bodies and too-large bodies in the error envelope', async () => {
    const { key } = await ctx().newWorkspace();
    const notFound = await ctx().http().get('/v1/nothing').set('X-Api-Key', key).expect(404);
    expect(notFound.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: 'Cannot GET /v1/nothing' } });

    const badJson = await ctx()
      .http()
      .post('/v1/leads')
      .set('X-Api-Key', key)
      .set('Content-Type', 'application/json')
      .send('{"broken": ')
      .expect(400);
    expect(badJson.body).toEqual({
      success: false,
      error: { code: 'VALIDATION_ERROR', message: 'Request body is not valid JSON.' },
    });

    const tooBig = await ctx()
      .http()
      .post('/v1/leads')
      .set('X-Api-Key', key)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ x: 'y'.repeat(200_000) }))
      .expect(413);
    expect(tooBig.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sets security headers and a request id, and no X-Powered-By', async () => {
    const res = await ctx().http().get('/health/live').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describeEachDatabase(
  'DOCS_ENABLED=false',
  (ctx) => {
    it('serves neither Swagger UI nor the OpenAPI document, and the API as usual', async () => {
      const { key } = await ctx().newWorkspace();
      for (const path of ['/docs', '/docs-json']) {
        const res = await ctx().http().get(path).set('X-Api-Key', key).expect(404);
        expect(res.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: `Cannot GET ${path}` } });
      }
      await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200);
    });
  },
  { DOCS_ENABLED: 'false' },
);
