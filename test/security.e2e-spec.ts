import * as net from 'node:net';
import type { Response, Test } from 'supertest';
import { ApiKey, ApiKeyKind } from '../src/auth/api-key.entity';
import { displayPrefix, generateApiKey, hashApiKey } from '../src/auth/api-key';
import { ApiKeyService } from '../src/auth/api-key.service';
import { User } from '../src/auth/user.entity';
import { WorkspaceMember } from '../src/auth/workspace-member.entity';
import { newId } from '../src/common/object-id';
import { ImportSlots } from '../src/import/upload/import-slots';
import { expectError, importCsv, toCsv } from './support/import';
import { filePartHead, jsonAnswer, openRawUpload } from './support/raw-upload';
import { countRows, describeEachDatabase, listeningPort, TestContext, until } from './support/test-app';

const ids = (res: Response): string[] => res.body.data.leads.map((lead: { id: string }) => lead.id);

/** Stores an API key row exactly as given, to check that the stored record (not the key text) decides. */
async function craftKey(
  ctx: TestContext,
  text: string,
  record: { kind: ApiKeyKind; workspaceId: string | null; userId: string | null },
): Promise<void> {
  await ctx.dataSource.getRepository(ApiKey).insert({
    id: newId(),
    keyHash: hashApiKey(text),
    prefix: displayPrefix(text),
    name: 'crafted',
    createdAt: new Date(),
    revokedAt: null,
    ...record,
  });
}

async function craftUser(ctx: TestContext, memberOf: string[], defaultWorkspaceId: string | null): Promise<string> {
  const id = newId();
  await ctx.dataSource
    .getRepository(User)
    .insert({ id, email: `${id}@users.example.com`, defaultWorkspaceId, createdAt: new Date() });
  for (const workspaceId of memberOf) {
    await ctx.dataSource.getRepository(WorkspaceMember).insert({ userId: id, workspaceId, createdAt: new Date() });
  }
  return id;
}

/** A GET written byte for byte on a socket, so a header can be repeated (supertest's set() replaces). */
function rawGet(
  port: number,
  path: string,
  headers: Array<[string, string]>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n${lines}Connection: close\r\n\r\n`);
    });
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      resolve({ status: Number(raw.split(' ')[1]), body: body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1) });
    });
  });
}

describeEachDatabase('security: API keys', (ctx) => {
  it('refuses a key in the query string even when no header is sent, on every route', async () => {
    const { key } = await ctx().newWorkspace();
    for (const query of [`api_key=${key}`, `token=${key}`, `x=${encodeURIComponent(' ' + key)}`]) {
      const list = await ctx().http().get(`/v1/leads?${query}`);
      expectError(list, 401, 'UNAUTHORIZED');
      expect(list.body.error.message).toContain('not accepted in the URL');
    }
    const upload = await ctx()
      .http()
      .post(`/v1/leads/import/csv?api_key=${key}`)
      .attach('file', Buffer.from('Email\na@b.com\n'), 'a.csv');
    expectError(upload, 401, 'UNAUTHORIZED');
  });

  it('answers 401 for different keys in the two headers, even two valid keys of one workspace', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const { key: second } = await ctx().app.get(ApiKeyService).createKey({ workspaceId });
    const res = await ctx().http().get('/v1/leads').set('X-Api-Key', key).set('Authorization', `Bearer ${second}`);
    expectError(res, 401, 'UNAUTHORIZED');
    const revoked = await ctx().newWorkspace();
    await ctx().app.get(ApiKeyService).revoke(revoked.key);
    const mixed = await ctx()
      .http()
      .get('/v1/leads')
      .set('X-Api-Key', key)
      .set('Authorization', `Bearer ${revoked.key}`);
    expectError(mixed, 401, 'UNAUTHORIZED');
  });

  it('refuses a revoked key on the import route, writes nothing, and leaves the other keys working', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const { key: other } = await ctx().app.get(ApiKeyService).createKey({ workspaceId });
    await ctx().app.get(ApiKeyService).revoke(key);
    expectError(await importCsv(ctx(), key, 'Email\na@b.com\n'), 401, 'UNAUTHORIZED');
    expect(await countRows(ctx(), 'leads', workspaceId)).toBe(0);
    expect(await countRows(ctx(), 'imports', workspaceId)).toBe(0);
    await ctx().http().get('/v1/leads').set('X-Api-Key', other).expect(200);
  });

  it('answers 403 for a platform key on a workspace its user is not a member of, on every route, and writes nothing', async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const platformKey = await ctx().newPlatformKey(`only-a-${a.workspaceId}@example.com`, [a.workspaceId]);
    const leadOfB = await ctx().newLead(b.workspaceId);
    const asB = (req: Test) => req.set('X-Api-Key', platformKey).set('X-Workspace-Id', b.workspaceId);
    for (const res of [
      await asB(ctx().http().get('/v1/leads')),
      await asB(ctx().http().get(`/v1/leads/${leadOfB.id}`)),
      await asB(ctx().http().delete(`/v1/leads/${leadOfB.id}`)),
      await asB(ctx().http().get('/v1/leads/imports')),
      await asB(ctx().http().get('/v1/custom-fields')),
      await asB(ctx().http().post('/v1/leads/import/csv')).attach('file', Buffer.from('Email\nx@b.com\n'), 'a.csv'),
    ]) {
      expectError(res, 403, 'FORBIDDEN');
    }
    expect(await countRows(ctx(), 'leads', b.workspaceId)).toBe(1);
    expect(await countRows(ctx(), 'imports', b.workspaceId)).toBe(0);
  });

  it('never echoes the X-Workspace-Id value in a 403', async () => {
    const a = await ctx().newWorkspace();
    const platformKey = await ctx().newPlatformKey(`echo-${a.workspaceId}@example.com`, [a.workspaceId]);
    const payload = '<script>alert(1)</script>';
    for (const [key, workspace] of [
      [platformKey, payload],
      [a.key, payload],
    ]) {
      const res = await ctx().http().get('/v1/leads').set('X-Api-Key', key).set('X-Workspace-Id', workspace);
      expectError(res, 403, 'FORBIDDEN');
      expect(res.text).not.toContain('script');
      expect(res.body.error.message).toContain('X-Workspace-Id');
    }
  });

  it('asks for the key header once when X-Api-Key or Authorization is sent twice, even with the same valid key', async () => {
    const { key } = await ctx().newWorkspace();
    const port = await listeningPort(ctx());
    for (const header of ['X-Api-Key', 'Authorization']) {
      const value = header === 'X-Api-Key' ? key : `Bearer ${key}`;
      const res = await rawGet(port, '/v1/leads', [
        [header, value],
        [header, value],
      ]);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toEqual({
        success: false,
        error: { code: 'UNAUTHORIZED', message: `Send the ${header} header only once, with one key.` },
      });
    }
  });

  it("stops a platform key from acting on a workspace on the next request once its user's membership is gone", async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const email = `leaver-${a.workspaceId}@example.com`;
    const platformKey = await ctx().newPlatformKey(email, [a.workspaceId, b.workspaceId]);
    const onB = () => ctx().http().get('/v1/leads').set('X-Api-Key', platformKey).set('X-Workspace-Id', b.workspaceId);
    await onB().expect(200);
    const user = await ctx().dataSource.getRepository(User).findOneByOrFail({ email });
    await ctx().dataSource.getRepository(WorkspaceMember).delete({ userId: user.id, workspaceId: b.workspaceId });
    expectError(await onB(), 403, 'FORBIDDEN');
  });

  it('refuses a key whose text claims another kind than its stored record', async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const userOfB = await craftUser(ctx(), [b.workspaceId], b.workspaceId);
    // Platform-looking text stored as a workspace key of A; workspace-looking text stored as a platform key of B's user.
    const platformText = generateApiKey('platform');
    await craftKey(ctx(), platformText, { kind: 'workspace', workspaceId: a.workspaceId, userId: null });
    const workspaceText = generateApiKey('workspace');
    await craftKey(ctx(), workspaceText, { kind: 'platform', workspaceId: null, userId: userOfB });
    for (const key of [platformText, workspaceText]) {
      expectError(await ctx().http().get('/v1/leads').set('X-Api-Key', key), 401, 'UNAUTHORIZED');
      const named = await ctx().http().get('/v1/leads').set('X-Api-Key', key).set('X-Workspace-Id', b.workspaceId);
      expectError(named, 401, 'UNAUTHORIZED');
    }
  });

  it("takes a key's reach from its stored kind: a stray user or workspace column grants nothing", async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const leadOfA = await ctx().newLead(a.workspaceId);
    await ctx().newLead(b.workspaceId);
    const userOfB = await craftUser(ctx(), [b.workspaceId], b.workspaceId);
    const userOfA = await craftUser(ctx(), [a.workspaceId], a.workspaceId);
    // A workspace key of A that also carries a user of B, and a platform key of A's user that also names B.
    const workspaceKey = generateApiKey('workspace');
    await craftKey(ctx(), workspaceKey, { kind: 'workspace', workspaceId: a.workspaceId, userId: userOfB });
    const platformKey = generateApiKey('platform');
    await craftKey(ctx(), platformKey, { kind: 'platform', workspaceId: b.workspaceId, userId: userOfA });

    for (const key of [workspaceKey, platformKey]) {
      const own = await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200);
      expect(ids(own)).toEqual([leadOfA.id]);
      const other = await ctx().http().get('/v1/leads').set('X-Api-Key', key).set('X-Workspace-Id', b.workspaceId);
      expectError(other, 403, 'FORBIDDEN');
    }
  });

  it("never trusts a platform user's default workspace it is no longer a member of", async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const leadOfA = await ctx().newLead(a.workspaceId);
    await ctx().newLead(b.workspaceId);
    const user = await craftUser(ctx(), [a.workspaceId], b.workspaceId);
    const key = generateApiKey('platform');
    await craftKey(ctx(), key, { kind: 'platform', workspaceId: null, userId: user });
    const res = await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200);
    expect(ids(res)).toEqual([leadOfA.id]);
  });
});

describeEachDatabase('security: workspace isolation', (ctx) => {
  const secretCsv = (email: string) =>
    toCsv([
      ['Email', 'First Name', 'Secret B'],
      [email, 'Bea', 'classified'],
    ]);

  it("shows workspace A nothing of B's leads, imports, custom fields or tags", async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const ownLead = await ctx().newLead(a.workspaceId);
    const imported = await importCsv(ctx(), b.key, secretCsv('bea@b.example'), { tag: 'vip' }).expect(200);
    const [leadOfB] = imported.body.data.importedLeadIds as string[];
    const importOfB = imported.body.data.importId as string;
    const asA = (path: string) => ctx().http().get(path).set('X-Api-Key', a.key);

    expect(ids(await asA('/v1/leads').expect(200))).toEqual([ownLead.id]);
    expect(ids(await asA('/v1/leads?email=bea@b.example').expect(200))).toEqual([]);
    expect(ids(await asA('/v1/leads?tag=vip').expect(200))).toEqual([]);
    // B's newer lead id as a cursor only pages through A's own leads.
    expect(ids(await asA(`/v1/leads?cursor=${leadOfB}`).expect(200))).toEqual([ownLead.id]);
    expectError(await asA(`/v1/leads/${leadOfB}`), 404, 'NOT_FOUND');
    expect((await asA('/v1/leads/imports').expect(200)).body.data.imports).toEqual([]);
    expectError(await asA(`/v1/leads/imports/${importOfB}`), 404, 'NOT_FOUND');
    expect((await asA('/v1/custom-fields').expect(200)).body.data.customFields).toEqual([]);

    // And B still sees all of it.
    const asB = (path: string) => ctx().http().get(path).set('X-Api-Key', b.key);
    expect(ids(await asB('/v1/leads?tag=vip').expect(200))).toEqual([leadOfB]);
    expect((await asB('/v1/custom-fields').expect(200)).body.data.customFields).toEqual([
      expect.objectContaining({ name: 'Secret B' }),
    ]);
  });

  it("lets workspace A neither delete nor update B's lead, nor reuse B's tag or custom field", async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const imported = await importCsv(ctx(), b.key, secretCsv('shared@x.example'), { tag: 'vip' }).expect(200);
    const [leadOfB] = imported.body.data.importedLeadIds as string[];
    const before = (await ctx().http().get(`/v1/leads/${leadOfB}`).set('X-Api-Key', b.key).expect(200)).body.data;

    expectError(await ctx().http().delete(`/v1/leads/${leadOfB}`).set('X-Api-Key', a.key), 404, 'NOT_FOUND');
    // Same email with updates on, another casing of B's tag and custom field: all of it lands in A only.
    const csv = toCsv([
      ['Email', 'First Name', 'secret b'],
      ['SHARED@x.example', 'Mallory', 'overwritten'],
    ]);
    const res = await importCsv(ctx(), a.key, csv, { skipDuplicates: 'false', tag: 'VIP' }).expect(200);
    expect(res.body.data).toMatchObject({ imported: 1, updated: 0, skipped: 0, failed: 0 });
    const leadOfA = await ctx()
      .http()
      .get(`/v1/leads/${res.body.data.importedLeadIds[0]}`)
      .set('X-Api-Key', a.key)
      .expect(200);
    expect(leadOfA.body.data).toMatchObject({ customFields: { 'secret b': 'overwritten' }, tags: ['VIP'] });
    const fieldsOfA = await ctx().http().get('/v1/custom-fields').set('X-Api-Key', a.key).expect(200);
    expect(fieldsOfA.body.data.customFields.map((f: { name: string }) => f.name)).toEqual(['secret b']);

    const after = (await ctx().http().get(`/v1/leads/${leadOfB}`).set('X-Api-Key', b.key).expect(200)).body.data;
    expect(after).toEqual(before);
    expect(ids(await ctx().http().get('/v1/leads?tag=vip').set('X-Api-Key', b.key).expect(200))).toEqual([leadOfB]);
  });
});

describeEachDatabase('security: HTTP headers and body limits', (ctx) => {
  const HELMET_HEADERS = {
    'content-security-policy': expect.stringContaining("default-src 'self'"),
    'strict-transport-security': expect.stringContaining('max-age='),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };

  it('sends the helmet security headers on successes and on every kind of error', async () => {
    const { key } = await ctx().newWorkspace();
    const responses = [
      await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200),
      await ctx().http().get('/v1/leads').expect(401),
      await ctx().http().get('/v1/nothing').set('X-Api-Key', key).expect(404),
      await ctx().http().post('/v1/leads/import/csv').set('X-Api-Key', key).field('tag', 'x').expect(400),
      await ctx()
        .http()
        .post('/v1/leads/import/csv')
        .type('json')
        .send({ x: 'y'.repeat(200_000) })
        .expect(413),
    ];
    for (const res of responses) {
      expect(res.headers).toMatchObject(HELMET_HEADERS);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('answers 413 PAYLOAD_TOO_LARGE for JSON or form bodies over 100 KB, on the import route too', async () => {
    const { key } = await ctx().newWorkspace();
    const json = await ctx()
      .http()
      .post('/v1/leads/import/csv')
      .set('X-Api-Key', key)
      .type('json')
      .send(JSON.stringify({ file: 'y'.repeat(101 * 1024) }));
    expectError(json, 413, 'PAYLOAD_TOO_LARGE');
    expect(json.body.error.message).toContain('100 KB');
    const form = await ctx()
      .http()
      .post('/v1/leads/import/csv')
      .set('X-Api-Key', key)
      .type('form')
      .send(`file=${'y'.repeat(101 * 1024)}`);
    expectError(form, 413, 'PAYLOAD_TOO_LARGE');
    // Just under the limit is read, and then refused for what it is: not a multipart upload.
    const small = await ctx()
      .http()
      .post('/v1/leads/import/csv')
      .set('X-Api-Key', key)
      .type('json')
      .send(JSON.stringify({ file: 'y'.repeat(90 * 1024) }));
    expectError(small, 400, 'VALIDATION_ERROR');
  });

  it('has CORS off by default: no Access-Control-Allow-Origin for any origin, nor on a preflight', async () => {
    const { key } = await ctx().newWorkspace();
    const simple = await ctx()
      .http()
      .get('/v1/leads')
      .set('X-Api-Key', key)
      .set('Origin', 'https://app.example.com')
      .expect(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await ctx()
      .http()
      .options('/v1/leads/import/csv')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-api-key');
    expect(preflight.status).toBeLessThan(500);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });
});

describeEachDatabase(
  'security: CORS with CORS_ORIGINS set',
  (ctx) => {
    it('allows exactly the configured origins, without credentials, and exposes Retry-After and X-Request-Id', async () => {
      const { key } = await ctx().newWorkspace();
      for (const origin of ['https://app.example.com', 'http://localhost:5173']) {
        const res = await ctx().http().get('/v1/leads').set('X-Api-Key', key).set('Origin', origin).expect(200);
        expect(res.headers['access-control-allow-origin']).toBe(origin);
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
        const exposed = (res.headers['access-control-expose-headers'] ?? '').toLowerCase();
        expect(exposed).toContain('retry-after');
        expect(exposed).toContain('x-request-id');
        expect(exposed).toContain('idempotent-replayed');
      }
      const preflight = await ctx()
        .http()
        .options('/v1/leads/import/csv')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'x-api-key, x-workspace-id')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(preflight.headers['access-control-allow-methods']).toContain('POST');
      expect(preflight.headers['access-control-allow-headers'].toLowerCase()).toContain('x-api-key');

      for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.example', 'null']) {
        const res = await ctx().http().get('/v1/leads').set('X-Api-Key', key).set('Origin', origin).expect(200);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
    });
  },
  { CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' },
);

const PER_MINUTE = 5;
const IMPORTS_PER_MINUTE = 2;

describeEachDatabase(
  'security: rate limits per API key',
  (ctx) => {
    const list = (key: string) => ctx().http().get('/v1/leads').set('X-Api-Key', key);

    function expectRateLimited(res: Response): void {
      expectError(res, 429, 'RATE_LIMITED');
      const retryAfter = Number(res.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }

    it('answers 429 RATE_LIMITED with Retry-After past RATE_LIMIT_PER_MINUTE, for that key only', async () => {
      const a = await ctx().newWorkspace();
      const { key: secondKeyOfA } = await ctx().app.get(ApiKeyService).createKey({ workspaceId: a.workspaceId });
      const b = await ctx().newWorkspace();
      for (let i = 0; i < PER_MINUTE; i++) await list(a.key).expect(200);
      expectRateLimited(await list(a.key));
      expectRateLimited(await ctx().http().get('/v1/custom-fields').set('X-Api-Key', a.key));
      // Counted per key, not per workspace or per client address.
      await list(secondKeyOfA).expect(200);
      await list(b.key).expect(200);
    });

    it('puts the import route under the tighter IMPORT_RATE_LIMIT_PER_MINUTE and writes nothing once limited', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      for (let i = 0; i < IMPORTS_PER_MINUTE; i++) await importCsv(ctx(), key, `Email\nlead${i}@b.com\n`).expect(200);
      const limited = await importCsv(ctx(), key, 'Email\nlate@b.com\n');
      expectRateLimited(limited);
      expect(limited.body.error.message).toContain(`${IMPORTS_PER_MINUTE} requests`);
      expect(await countRows(ctx(), 'leads', workspaceId)).toBe(IMPORTS_PER_MINUTE);
      // The other routes still have room under the default limit.
      await list(key).expect(200);
    });

    it('never limits the health probes, whatever key comes along', async () => {
      const { key } = await ctx().newWorkspace();
      for (let i = 0; i <= PER_MINUTE; i++) await list(key);
      expectRateLimited(await list(key));
      for (let i = 0; i < PER_MINUTE * 3; i++) {
        await ctx().http().get('/health/live').expect(200);
        await ctx().http().get('/health/ready').set('X-Api-Key', key).expect(200);
      }
    });

    it('does not count requests with a bad key against anyone', async () => {
      const { key } = await ctx().newWorkspace();
      for (let i = 0; i < PER_MINUTE * 2; i++) {
        expectError(await ctx().http().get('/v1/leads').set('X-Api-Key', `${key}x`), 401, 'UNAUTHORIZED');
      }
      await list(key).expect(200);
    });
  },
  { RATE_LIMIT_PER_MINUTE: String(PER_MINUTE), IMPORT_RATE_LIMIT_PER_MINUTE: String(IMPORTS_PER_MINUTE) },
);

/** A multipart upload sent by hand, so a test can hold it half-way. */
function openUpload(port: number, key: string, file: Buffer) {
  const boundary = `----leadport${newId()}`;
  const head = Buffer.from(filePartHead(boundary, 'big.csv', 'text/csv'));
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const request = openRawUpload({ port, key, boundary, contentLength: head.length + file.length + tail.length });
  const response = jsonAnswer<{ success: boolean; data?: { imported: number } }>(request);
  const half = Math.floor(file.length / 2);
  request.write(Buffer.concat([head, file.subarray(0, half)]));
  return { response, finish: () => request.end(Buffer.concat([file.subarray(half), tail])) };
}

describeEachDatabase(
  'security: concurrent imports per workspace',
  (ctx) => {
    const bigCsv = (prefix: string) =>
      Buffer.from(
        toCsv([
          ['Email', 'First Name', 'Company'],
          ...Array.from({ length: 20_000 }, (_, i) => [`${prefix}${i}@big.example`, 'Jane', 'Acme']),
        ]),
      );

    it('answers 429 with Retry-After to a second large import of the same workspace while one runs, never a 5xx', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const { key: secondKey } = await ctx().app.get(ApiKeyService).createKey({ workspaceId });
      const other = await ctx().newWorkspace();
      const slots = ctx().app.get(ImportSlots);

      const first = openUpload(await listeningPort(ctx()), key, bigCsv('first'));
      await until(() => slots.active === 1, 'the first import holds its slot');
      // The second import comes with another key of the same workspace: the bound is per workspace.
      const second = await importCsv(ctx(), secondKey, bigCsv('second'));
      expectError(second, 429, 'RATE_LIMITED');
      expect(second.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(second.body.error.message).toContain('This workspace is running 1 imports already');
      // Another workspace is not held up.
      await importCsv(ctx(), other.key, 'Email\nsomeone@other.example\n').expect(200);

      first.finish();
      const done = await first.response;
      expect(done.status).toBe(200);
      expect(done.body.data?.imported).toBe(20_000);
      await until(() => slots.active === 0, 'the first import releases its slot');
      await importCsv(ctx(), secondKey, 'Email\nafter@big.example\n').expect(200);
      expect(await countRows(ctx(), 'leads', workspaceId)).toBe(20_001);
    });
  },
  { IMPORT_MAX_CONCURRENT_PER_WORKSPACE: '1' },
);
