import { expectCountsAddUp, expectError, importCsv, toCsv } from './support/import';
import { describeEachDatabase, TestContext } from './support/test-app';

const HEADER = ['Email', 'First Name'];

async function ids(ctx: TestContext, key: string, query: string): Promise<string[]> {
  const res = await ctx.http().get(`/v1/leads?${query}`).set('X-Api-Key', key).expect(200);
  return (res.body.data.leads as Array<{ email: string }>).map((lead) => lead.email).sort();
}

describeEachDatabase('lead status, editing and quality flags', (ctx) => {
  it('PATCH cleans fields like an import, merges custom fields, sets the status; GET filters by status', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const lead = await ctx().newLead(workspaceId, { email: 'ray@example.com', customFields: { Industry: 'Retail' } });
    const res = await ctx()
      .http()
      .patch(`/v1/leads/${lead.id}`)
      .set('X-Api-Key', key)
      .send({
        firstName: '  Ray\u200B  ',
        phone: '(415) 555-2671',
        country: 'US',
        linkedinUrl: 'linkedin.com/in/ray-example/',
        customFields: { Industry: null, Region: ' West ' },
        status: 'do_not_contact',
      })
      .expect(200);
    expect(res.body.data).toMatchObject({
      firstName: 'Ray',
      phone: '+14155552671',
      linkedinUrl: 'https://www.linkedin.com/in/ray-example',
      customFields: { Region: 'West' },
      status: 'do_not_contact',
    });
    const uk = await ctx().newLead(workspaceId, { email: 'uma@example.com', country: 'United Kingdom' });
    const ukPhone = await ctx()
      .http()
      .patch(`/v1/leads/${uk.id}`)
      .set('X-Api-Key', key)
      .send({ phone: '020 7946 0958' });
    expect(ukPhone.body.data).toMatchObject({ phone: '+442079460958', country: 'United Kingdom' });
    await ctx().newLead(workspaceId, { email: 'sam@example.com' });
    expect(await ids(ctx(), key, 'status=do_not_contact')).toEqual(['ray@example.com']);
    expect(await ids(ctx(), key, 'status=active')).toEqual(['sam@example.com', 'uma@example.com']);
    expectError(await ctx().http().get('/v1/leads?status=gone').set('X-Api-Key', key), 400, 'VALIDATION_ERROR');
  });

  it('PATCH validation errors name the field', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const lead = await ctx().newLead(workspaceId, { email: 'val@example.com' });
    const patch = (body: object) => ctx().http().patch(`/v1/leads/${lead.id}`).set('X-Api-Key', key).send(body);
    const cases: Array<[object, string]> = [
      [{ email: 'not-an-email' }, 'email'],
      [{ firstName: 'x'.repeat(501) }, 'firstName'],
      [{ status: 'paused' }, 'status'],
      [{ status: null }, 'status'],
      [{ jobTitle: 42 }, 'jobTitle'],
      [{ customFields: { Size: 5 } }, 'customFields.Size'],
      [{ email: 'ja\ud800ne@example.com' }, 'email'], // half a surrogate pair: JSON can carry one
      [{ customFields: { ['n'.repeat(256)]: 'v' } }, 'customFields'], // the registry holds 255 characters
    ];
    for (const [body, field] of cases) {
      const res = await patch(body);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toContain(field);
    }
    await ctx().newLead(workspaceId, { email: 'taken@example.com' });
    expectError(await patch({ email: 'Taken@Example.com' }), 409, 'CONFLICT');
  });

  it('PATCH answers 409, never 500, when two requests give two leads the same email at once', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const first = await ctx().newLead(workspaceId, { email: 'first@example.com' });
    const second = await ctx().newLead(workspaceId, { email: 'second@example.com' });
    const patch = (id: string, email: string) =>
      ctx().http().patch(`/v1/leads/${id}`).set('X-Api-Key', key).send({ email });
    for (let i = 0; i < 10; i++) {
      const email = `race${i}@example.com`;
      const answers = await Promise.all([patch(first.id, email), patch(second.id, email)]);
      expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
      expect(answers.find((res) => res.status === 409)!.body.error.message).toBe(
        'email: another lead in this workspace has this email.',
      );
    }
    const stored = await ctx().http().get('/v1/leads?limit=10').set('X-Api-Key', key).expect(200);
    expect(stored.body.data.leads).toHaveLength(2);
  });

  it("PATCH keeps to the workspace's custom-field limit (MAX_CUSTOM_FIELDS, 500), as an import does", async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const lead = await ctx().newLead(workspaceId, { email: 'wide@example.com' });
    const patch = (count: number, prefix: string) =>
      ctx()
        .http()
        .patch(`/v1/leads/${lead.id}`)
        .set('X-Api-Key', key)
        .send({ customFields: Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, 'v'])) });
    await patch(499, 'Field ').expect(200);
    const over = await patch(2, 'Extra ');
    expectError(over, 400, 'VALIDATION_ERROR');
    expect(over.body.error.message).toBe(
      'customFields: this would add 2 new custom fields; the workspace has 499 of at most 500. ' +
        'Use names the workspace has (GET /v1/custom-fields), or fewer new ones.',
    );
    const stored = await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200);
    expect(Object.keys(stored.body.data.customFields)).toHaveLength(499);
    await patch(1, 'Extra ').expect(200);
    await patch(499, 'Field ').expect(200); // names the workspace has take no room
  });

  it('flags role, disposable and free addresses, rejects them on request and warns of typos', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      HEADER,
      ['info@acme.example', 'Info'],
      ['jane@mailinator.com', 'Jane'],
      ['joe@gmail.com', 'Joe'],
      ['ann@gmial.com', 'Ann'],
      ['bob@acme.example', 'Bob'],
    ]);
    const plain = (await importCsv(ctx(), key, csv).expect(200)).body.data;
    expectCountsAddUp(plain);
    expect(plain).toMatchObject({ imported: 5, flagged: { role: 1, disposable: 1, free: 1 }, warningCount: 1 });
    expect(plain.warnings).toEqual([
      { row: 4, line: 5, email: 'ann@gmial.com', warning: 'Possible typo: did you mean ann@gmail.com?' },
    ]);
    expect(await ids(ctx(), key, 'flag=role')).toEqual(['info@acme.example']);
    expect(await ids(ctx(), key, 'flag=disposable')).toEqual(['jane@mailinator.com']);
    expect(await ids(ctx(), key, 'flag=free')).toEqual(['joe@gmail.com']);
    const [joe] = (await ctx().http().get('/v1/leads?email=joe@gmail.com').set('X-Api-Key', key)).body.data.leads;
    expect(joe.flags).toEqual(['free']);

    const other = await ctx().newWorkspace();
    const strict = await importCsv(ctx(), other.key, csv, { rejectRoleAddresses: 'yes', rejectDisposable: '1' });
    expect(strict.body.data).toMatchObject({ imported: 3, failed: 2 });
    expect(strict.body.data.errors).toEqual([
      { row: 1, line: 2, email: 'info@acme.example', error: 'Role-based email address' },
      { row: 2, line: 3, email: 'jane@mailinator.com', error: 'Disposable email address' },
    ]);
    expectError(await importCsv(ctx(), other.key, csv, { rejectDisposable: 'maybe' }), 400, 'VALIDATION_ERROR');
  });

  it('keeps a suppression list: validation, paging, delete, and a CSV read like a lead import', async () => {
    const { key } = await ctx().newWorkspace();
    const post = (body: object) => ctx().http().post('/v1/suppressions').set('X-Api-Key', key).send(body);
    const bad = await post({ emails: ['ok@example.com', 'nope'] });
    expectError(bad, 400, 'VALIDATION_ERROR');
    expect(bad.body.error.message).toContain('emails[1]');
    expectError(await post({ domains: ['a@b'] }), 400, 'VALIDATION_ERROR');
    expectError(await post({ emails: ['x@example.com'], reason: 'bored' }), 400, 'VALIDATION_ERROR');
    const surrogate = await post({ emails: ['ja\ud800ne@example.com'] });
    expectError(surrogate, 400, 'VALIDATION_ERROR');
    expect(surrogate.body.error.message).toBe('emails[0] is not a valid email address.');
    // A value of the wrong type is told its type once, not also that it is too long or too many.
    for (const emails of [[1, 2], 'x@example.com']) {
      expect((await post({ emails })).body.error.message).toBe('emails must be an array of strings');
    }
    expect((await post({ emails: ['a@example.com', 'A@Example.com'], domains: ['x.example'] })).body.data).toEqual({
      added: 2,
      existing: 0,
      invalid: 0,
    });

    // Semicolons and Windows-1252 bytes, as lead imports accept them.
    const csv = Buffer.from('E-mail Address;Note\r\nB@Example.com;x\r\nx.example;dup\r\n\xe9t\xe9;bad\r\n', 'latin1');
    const imported = await ctx()
      .http()
      .post('/v1/suppressions/import/csv')
      .set('X-Api-Key', key)
      .field('reason', 'bounced')
      .attach('file', csv, { filename: 'bounces.csv', contentType: 'text/csv' })
      .expect(200);
    expect(imported.body.data).toEqual({ added: 1, existing: 1, invalid: 1 });
    const noColumn = await ctx()
      .http()
      .post('/v1/suppressions/import/csv')
      .set('X-Api-Key', key)
      .attach('file', Buffer.from('Name,Note\r\nJane,x\r\n'), { filename: 'names.csv', contentType: 'text/csv' });
    expectError(noColumn, 400, 'VALIDATION_ERROR');
    expect(noColumn.body.error.message).toBe(
      'No email or domain column detected. Name the column of addresses "email", or the column of domains "domain".',
    );

    const first = await ctx().http().get('/v1/suppressions?limit=2').set('X-Api-Key', key).expect(200);
    expect(first.body.data.suppressions).toHaveLength(2);
    const second = await ctx()
      .http()
      .get(`/v1/suppressions?limit=2&cursor=${first.body.data.nextCursor}`)
      .set('X-Api-Key', key)
      .expect(200);
    expect(second.body.data).toMatchObject({ nextCursor: null });
    expect(second.body.data.suppressions).toHaveLength(1);
    const entry = first.body.data.suppressions[0];
    expect(entry).toMatchObject({ kind: 'email', reason: 'bounced' });
    await ctx().http().delete(`/v1/suppressions/${entry.id}`).set('X-Api-Key', key).expect(200);
    const res = await importCsv(ctx(), key, toCsv([HEADER, ['b@example.com', 'B']])).expect(200);
    expect(res.body.data.imported).toBe(1);
    const outsider = await ctx().newWorkspace();
    await ctx().http().delete(`/v1/suppressions/${entry.id}`).set('X-Api-Key', outsider.key).expect(404);
  });
});
