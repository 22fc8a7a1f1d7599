import type { Response } from 'supertest';
import { describeEachDatabase } from './support/test-app';

describeEachDatabase('leads API', (ctx) => {
  it('renders a lead with every field, custom fields, tags and timestamps', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const lead = await ctx().newLead(workspaceId, {
      email: 'jane@acme.com',
      firstName: 'Jane',
      customFields: { Industry: 'Software' },
    });
    const res = await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200);
    expect(res.body.success).toBe(true);
    expect(Object.keys(res.body.data).sort()).toEqual(
      [
        'id',
        'email',
        'firstName',
        'lastName',
        'companyName',
        'jobTitle',
        'phone',
        'linkedinUrl',
        'website',
        'city',
        'state',
        'country',
        'timezone',
        'notes',
        'customFields',
        'tags',
        'status',
        'flags',
        'createdAt',
        'updatedAt',
      ].sort(),
    );
    expect(res.body.data).toMatchObject({
      id: lead.id,
      email: 'jane@acme.com',
      firstName: 'Jane',
      lastName: null,
      customFields: { Industry: 'Software' },
      tags: [],
    });
    expect(new Date(res.body.data.createdAt).getTime()).toBe(lead.createdAt.getTime());
  });

  it('pages through leads newest first with a cursor', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await ctx().newLead(workspaceId)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await ctx()
        .http()
        .get('/v1/leads')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set('X-Api-Key', key)
        .expect(200);
      expect(res.body.data.leads.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.leads.map((l: { id: string }) => l.id));
      cursor = res.body.data.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by email (case-insensitively) and by tag', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const jane = await ctx().newLead(workspaceId, { email: 'jane@acme.com' });
    const joe = await ctx().newLead(workspaceId, { email: 'joe@acme.com' });
    const byEmail = await ctx().http().get('/v1/leads?email=%20JANE@Acme.com').set('X-Api-Key', key).expect(200);
    expect(byEmail.body.data.leads.map((l: { id: string }) => l.id)).toEqual([jane.id]);

    const tagId = '665d4e5f6a7b8c9d0e1f2a3b';
    await ctx().dataSource.query(
      'INSERT INTO tags (id, workspace_id, name, name_key, created_at) VALUES (?, ?, ?, ?, ?)',
      [tagId, workspaceId, 'VIP', 'vip', '2026-01-01 00:00:00.000'],
    );
    await ctx().dataSource.query('INSERT INTO lead_tags (lead_id, tag_id, workspace_id) VALUES (?, ?, ?)', [
      joe.id,
      tagId,
      workspaceId,
    ]);
    const byTag = await ctx().http().get('/v1/leads?tag=vip').set('X-Api-Key', key).expect(200);
    expect(byTag.body.data.leads.map((l: { id: string; tags: string[] }) => [l.id, l.tags])).toEqual([
      [joe.id, ['VIP']],
    ]);
  });

  it('rejects a bad limit or cursor with a 400 that says what is allowed', async () => {
    const { key } = await ctx().newWorkspace();
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'cursor=xyz', 'unknown=1']) {
      const res = await ctx().http().get(`/v1/leads?${query}`).set('X-Api-Key', key).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    const res = await ctx().http().get('/v1/leads?limit=500').set('X-Api-Key', key).expect(400);
    expect(res.body.error.message).toBe('limit must be an integer from 1 to 200');
  });

  it('deletes a lead of its own workspace', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const lead = await ctx().newLead(workspaceId);
    const res = await ctx().http().delete(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200);
    expect(res.body).toEqual({ success: true, data: { id: lead.id, deleted: true } });
    await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(404);
  });

  it("never shows, deletes or lists another workspace's leads", async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    const leadOfB = await ctx().newLead(b.workspaceId, { email: 'secret@b.com' });
    const get = await ctx().http().get(`/v1/leads/${leadOfB.id}`).set('X-Api-Key', a.key).expect(404);
    expect(get.body.error.code).toBe('NOT_FOUND');
    await ctx().http().delete(`/v1/leads/${leadOfB.id}`).set('X-Api-Key', a.key).expect(404);
    const list = await ctx().http().get('/v1/leads?email=secret@b.com').set('X-Api-Key', a.key).expect(200);
    expect(list.body.data.leads).toEqual([]);
    await ctx().http().get(`/v1/leads/${leadOfB.id}`).set('X-Api-Key', b.key).expect(200);
  });

  it('answers 404 for an id that is not an id', async () => {
    const { key } = await ctx().newWorkspace();
    await ctx().http().get('/v1/leads/not-an-id').set('X-Api-Key', key).expect(404);
  });
});
