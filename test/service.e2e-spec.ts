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
