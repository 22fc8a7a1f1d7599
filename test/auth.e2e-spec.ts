import { describeEachDatabase } from './support/test-app';

describeEachDatabase('authentication', (ctx) => {
  it('accepts a workspace key in X-Api-Key and as a Bearer token', async () => {
    const { key } = await ctx().newWorkspace();
    await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200);
    await ctx().http().get('/v1/leads').set('Authorization', `Bearer ${key}`).expect(200);
    await ctx().http().get('/v1/leads').set('X-Api-Key', key).set('Authorization', `Bearer ${key}`).expect(200);
  });

  it('answers 401 UNAUTHORIZED for a missing, malformed or unknown key', async () => {
    for (const headers of [{}, { 'X-Api-Key': 'nope' }, { 'X-Api-Key': 'sk_' + 'a'.repeat(32) }]) {
      const res = await ctx().http().get('/v1/leads').set(headers).expect(401);
      expect(res.body).toEqual({ success: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
    const res = await ctx().http().get('/v1/leads').set('Authorization', 'Basic abc').expect(401);
    expect(res.body.error.message).toContain('Bearer');
  });

  it('answers 401 when X-Api-Key and Authorization carry different keys', async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const res = await ctx()
      .http()
      .get('/v1/leads')
      .set('X-Api-Key', a.key)
      .set('Authorization', `Bearer ${b.key}`)
      .expect(401);
    expect(res.body.error.message).toContain('different keys');
  });

  it('refuses a key passed in the query string', async () => {
    const { key } = await ctx().newWorkspace();
    const res = await ctx().http().get(`/v1/leads?api_key=${key}`).set('X-Api-Key', key).expect(401);
    expect(res.body.error.message).toContain('not accepted in the URL');
  });

  it('stops accepting a revoked key on the next request', async () => {
    const { key } = await ctx().newWorkspace();
    await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200);
    const { ApiKeyService } = await import('../src/auth/api-key.service');
    await ctx().app.get(ApiKeyService).revoke(key);
    await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(401);
  });

  it('stores only a hash and a display prefix of a key', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const rows: Array<Record<string, unknown>> = await ctx().dataSource.query(
      'SELECT * FROM api_keys WHERE workspace_id = ?',
      [workspaceId],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(rows[0].prefix).toBe(key.slice(0, 11));
  });

  it('lets a workspace key name its own workspace and forbids any other', async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    await ctx().http().get('/v1/leads').set('X-Api-Key', a.key).set('X-Workspace-Id', a.workspaceId).expect(200);
    const res = await ctx()
      .http()
      .get('/v1/leads')
      .set('X-Api-Key', a.key)
      .set('X-Workspace-Id', b.workspaceId)
      .expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it("acts for a platform key's user on a workspace named in X-Workspace-Id, and only on the user's", async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const other = await ctx().newWorkspace();
    const platformKey = await ctx().newPlatformKey(`owner-${a.workspaceId}@example.com`, [
      a.workspaceId,
      b.workspaceId,
    ]);
    expect(platformKey.startsWith('sk_user_')).toBe(true);
    const leadInB = await ctx().newLead(b.workspaceId);

    const inB = await ctx()
      .http()
      .get('/v1/leads')
      .set('Authorization', `Bearer ${platformKey}`)
      .set('X-Workspace-Id', b.workspaceId)
      .expect(200);
    expect(inB.body.data.leads.map((l: { id: string }) => l.id)).toEqual([leadInB.id]);

    // Without the header: the user's default workspace (the first one it joined).
    const inDefault = await ctx().http().get('/v1/leads').set('X-Api-Key', platformKey).expect(200);
    expect(inDefault.body.data.leads).toEqual([]);

    const forbidden = await ctx()
      .http()
      .get('/v1/leads')
      .set('X-Api-Key', platformKey)
      .set('X-Workspace-Id', other.workspaceId)
      .expect(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    await ctx().http().get('/v1/leads').set('X-Api-Key', platformKey).set('X-Workspace-Id', 'junk').expect(403);
  });

  it('takes the key kind from the stored record, not the text', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    // The same random body presented as a platform key is another key, unknown to us.
    const forged = key.replace(/^sk_/, 'sk_user_');
    await ctx().http().get('/v1/leads').set('X-Api-Key', forged).set('X-Workspace-Id', workspaceId).expect(401);
  });

  it('keeps health public and everything else closed', async () => {
    await ctx().http().get('/health/live').expect(200);
    await ctx().http().get('/v1/custom-fields').expect(401);
    await ctx().http().get('/v1/leads/imports').expect(401);
    await ctx().http().delete('/v1/leads/665d4e5f6a7b8c9d0e1f2a3b').expect(401);
  });
});
