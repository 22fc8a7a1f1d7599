import * as http from 'node:http';
import { gzipSync } from 'node:zlib';
import { expectError } from './support/import';
import { describeEachDatabase, listeningPort, TestContext } from './support/test-app';

/** A request with exactly these bytes and headers (supertest would serialise a Buffer sent as JSON). */
async function rawRequest(
  ctx: TestContext,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; body: { success: boolean; error?: { code: string; message: string } } }> {
  const port = await listeningPort(ctx);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describeEachDatabase('JSON request bodies', (ctx) => {
  it('refuses a body nested deeper than 32 levels with a 400, on both JSON routes', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const lead = await ctx().newLead(workspaceId, { email: 'deep@example.com' });
    const nested = (levels: number) => '{"a":'.repeat(levels) + '"x"' + '}'.repeat(levels);
    for (const [method, path, body] of [
      ['PATCH', `/v1/leads/${lead.id}`, `{"customFields":${nested(6000)}}`],
      ['POST', '/v1/suppressions', `{"emails":${'['.repeat(20000)}${']'.repeat(20000)}}`],
    ]) {
      const res = await ctx()
        .http()
        [method === 'PATCH' ? 'patch' : 'post'](path)
        .set('X-Api-Key', key)
        .type('json')
        .send(body);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toBe('Request body is nested too deeply (at most 32 levels).');
    }
    // Nested within the limit: validated as usual.
    const shallow = await ctx()
      .http()
      .patch(`/v1/leads/${lead.id}`)
      .set('X-Api-Key', key)
      .type('json')
      .send(`{"customFields":{"Size":${nested(20)}}}`);
    expectError(shallow, 400, 'VALIDATION_ERROR');
    expect(shallow.body.error.message).toBe('customFields.Size must be a string or null');
  });

  it('reads gzip bodies and answers 400 for a body that does not decompress or an unknown Content-Encoding', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const lead = await ctx().newLead(workspaceId, { email: 'zip@example.com' });
    const patch = (encoding: string, body: Buffer) =>
      rawRequest(
        ctx(),
        'PATCH',
        `/v1/leads/${lead.id}`,
        {
          'X-Api-Key': key,
          'Content-Type': 'application/json',
          'Content-Encoding': encoding,
        },
        body,
      );
    const json = Buffer.from('{"firstName":"Zia"}');
    expect(await patch('gzip', gzipSync(json))).toMatchObject({ status: 200, body: { success: true } });
    for (const encoding of ['gzip', 'deflate', 'br']) {
      expect(await patch(encoding, json)).toEqual({
        status: 400,
        body: {
          success: false,
          error: {
            code: 'VALIDATION_ERROR',
            message: 'Request body could not be read; check its Content-Type and Content-Encoding.',
          },
        },
      });
    }
    const unknown = await patch('xyz', json);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error!.message).toBe(
      'Content-Encoding "xyz" is not supported: send the body uncompressed, or as gzip, deflate or br.',
    );
    const stored = await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200);
    expect(stored.body.data.firstName).toBe('Zia');
  });

  it('answers 400 to a body that is not JSON (text, a form) instead of ignoring it', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const lead = await ctx().newLead(workspaceId, { email: 'text@example.com' });
    const sends = [
      ctx().http().patch(`/v1/leads/${lead.id}`).type('text').send('{"firstName":"Tex"}'),
      ctx().http().patch(`/v1/leads/${lead.id}`).type('form').send('firstName=Tex'),
      ctx().http().post('/v1/suppressions').type('text').send('{"emails":["text@example.com"]}'),
      ctx().http().post('/v1/suppressions').type('form').send('emails=text@example.com'),
    ];
    for (const send of sends) {
      const res = await send.set('X-Api-Key', key);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toBe('Send the body as JSON, with the header Content-Type: application/json.');
    }
    const stored = await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200);
    expect(stored.body.data.firstName).toBeNull();
    const list = await ctx().http().get('/v1/suppressions').set('X-Api-Key', key).expect(200);
    expect(list.body.data.suppressions).toEqual([]);
    // A JSON type with a suffix or a charset is JSON.
    await ctx()
      .http()
      .patch(`/v1/leads/${lead.id}`)
      .set('X-Api-Key', key)
      .set('Content-Type', 'application/merge-patch+json; charset=utf-8')
      .send('{"firstName":"Jay"}')
      .expect(200);
    const after = await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200);
    expect(after.body.data.firstName).toBe('Jay');
  });
});
