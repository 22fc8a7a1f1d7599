import { findEverywhere } from './support/database-scan';
import { expectCountsAddUp, expectError, importCsv, toCsv } from './support/import';
import { describeEachDatabase, TestContext } from './support/test-app';

const HEADER = ['Email', 'First Name', 'Company'];

async function suppress(ctx: TestContext, key: string, body: object) {
  return ctx.http().post('/v1/suppressions').set('X-Api-Key', key).send(body).expect(200);
}

async function leadEmails(ctx: TestContext, key: string): Promise<string[]> {
  const res = await ctx.http().get('/v1/leads?limit=200').set('X-Api-Key', key).expect(200);
  return (res.body.data.leads as Array<{ email: string }>).map((lead) => lead.email).sort();
}

describeEachDatabase('suppression list and protected leads', (ctx) => {
  it('never imports a suppressed email, in any case or Unicode form', async () => {
    const { key } = await ctx().newWorkspace();
    // Stored composed (NFC); the file has it decomposed (NFD) and in capitals.
    await suppress(ctx(), key, { emails: ['  José.Pérez@Example.com '.normalize('NFC')], reason: 'unsubscribed' });
    const listed = await ctx().http().get('/v1/suppressions').set('X-Api-Key', key).expect(200);
    expect(listed.body.data.suppressions).toHaveLength(1);
    expect(listed.body.data.suppressions[0]).toMatchObject({ kind: 'email', reason: 'unsubscribed' });
    expect(listed.body.data.suppressions[0].value).toMatch(/^[0-9a-f]{64}$/);

    const csv = toCsv([
      HEADER,
      ['JOSÉ.PÉREZ@EXAMPLE.COM'.normalize('NFD'), 'José', 'Acme'],
      ['mailto:José.Pérez@Example.COM', 'José', 'Acme'],
      ['ana@example.com', 'Ana', 'Acme'],
    ]);
    for (const dataCleanup of ['true', 'false']) {
      const res = await importCsv(ctx(), key, csv, { dataCleanup }).expect(200);
      expectCountsAddUp(res.body.data);
      expect(res.body.data.skippedReasons.suppressed).toBeGreaterThanOrEqual(1);
    }
    expect(await leadEmails(ctx(), key)).toEqual(['ana@example.com']);
  });

  it('a suppressed domain blocks all its addresses and only them', async () => {
    const { key } = await ctx().newWorkspace();
    await suppress(ctx(), key, { domains: ['@Blocked.example'] });
    const csv = toCsv([
      HEADER,
      ['a@blocked.example', 'A', ''],
      ['B@BLOCKED.EXAMPLE', 'B', ''],
      ['c@sub.blocked.example', 'C', ''],
      ['d@notblocked.example', 'D', ''],
    ]);
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(res.body.data).toMatchObject({ imported: 2, skipped: 2 });
    expect(res.body.data.skippedReasons).toEqual({ existing: 0, duplicateInFile: 0, suppressed: 2, protected: 0 });
    expect(await leadEmails(ctx(), key)).toEqual(['c@sub.blocked.example', 'd@notblocked.example']);
  });

  it('an unsubscribed lead re-imported in update mode keeps every field and its status', async () => {
    const { key } = await ctx().newWorkspace();
    await importCsv(ctx(), key, toCsv([HEADER, ['kim@example.com', 'Kim', 'Old Co']])).expect(200);
    const [lead] = (await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200)).body.data.leads;
    await ctx().http().patch(`/v1/leads/${lead.id}`).set('X-Api-Key', key).send({ status: 'unsubscribed' }).expect(200);
    const before = (await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200)).body.data;

    const csv = toCsv([HEADER, ['KIM@example.com', 'Kimberly', 'New Co'], ['lee@example.com', 'Lee', 'New Co']]);
    const res = await importCsv(ctx(), key, csv, { skipDuplicates: 'false', tag: 'spring' }).expect(200);
    expect(res.body.data).toMatchObject({ imported: 1, updated: 0, skipped: 1 });
    expect(res.body.data.skippedReasons.protected).toBe(1);
    const after = (await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200)).body.data;
    expect(after).toEqual(before);
    expect(after).toMatchObject({ status: 'unsubscribed', firstName: 'Kim', companyName: 'Old Co', tags: [] });
  });

  it('adds up the skip reasons on a file that mixes every case', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    await ctx().newLead(workspaceId, { email: 'stored@example.com', emailKey: 'stored@example.com' });
    await ctx().newLead(workspaceId, { email: 'gone@example.com', emailKey: 'gone@example.com', status: 'bounced' });
    await suppress(ctx(), key, { emails: ['blocked@example.com'], domains: ['spam.example'] });
    const rows = [
      HEADER,
      ['new@example.com', 'New', ''],
      ['stored@example.com', 'Stored', ''],
      ['gone@example.com', 'Gone', ''],
      ['blocked@example.com', 'Blocked', ''],
      ['x@spam.example', 'Spam', ''],
      ['NEW@example.com', 'Repeat', ''],
      ['not-an-email', 'Bad', ''],
    ];
    const skip = (await importCsv(ctx(), key, toCsv(rows)).expect(200)).body.data;
    expectCountsAddUp(skip);
    expect(skip).toMatchObject({ imported: 1, updated: 0, skipped: 5, failed: 1 });
    expect(skip.skippedReasons).toEqual({ existing: 2, duplicateInFile: 1, suppressed: 2, protected: 0 });

    const update = (await importCsv(ctx(), key, toCsv(rows), { skipDuplicates: 'false' }).expect(200)).body.data;
    expectCountsAddUp(update);
    expect(update).toMatchObject({ imported: 0, updated: 2, skipped: 4, failed: 1 });
    expect(update.skippedReasons).toEqual({ existing: 0, duplicateInFile: 1, suppressed: 2, protected: 1 });
    const sum = (reasons: Record<string, number>) => Object.values(reasons).reduce((a, b) => a + b, 0);
    expect(sum(skip.skippedReasons)).toBe(skip.skipped);
    expect(sum(update.skippedReasons)).toBe(update.skipped);
  });

  it('a lead deleted with suppress=true&erase=true leaves its address nowhere in the database', async () => {
    const { key } = await ctx().newWorkspace();
    const address = `erase.me.${Date.now()}@example.com`;
    const tooLong = 'x'.repeat(600);
    // An error row (email and cells), then an update whose ledger keeps the replaced spelling of the address.
    await importCsv(ctx(), key, toCsv([HEADER, [address, 'Erin', 'Acme'], [address.toUpperCase(), tooLong, '']]));
    const update = toCsv([HEADER, [address.toUpperCase(), 'Erin B', 'Acme 2']]);
    await importCsv(ctx(), key, update, { skipDuplicates: 'false' }).expect(200);
    const bad = toCsv([HEADER, [`<${address.toUpperCase()}>`, tooLong, '']]);
    await importCsv(ctx(), key, bad, { skipDuplicates: 'false' }).expect(200);
    expect((await findEverywhere(ctx().dataSource, address)).length).toBeGreaterThanOrEqual(3);

    const [lead] = (await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200)).body.data.leads;
    const res = await ctx()
      .http()
      .delete(`/v1/leads/${lead.id}?suppress=true&erase=true`)
      .set('X-Api-Key', key)
      .expect(200);
    expect(res.body.data).toMatchObject({ id: lead.id, deleted: true, suppressed: true });
    expect(res.body.data.erasedRecords).toBeGreaterThanOrEqual(2);
    expect(await findEverywhere(ctx().dataSource, address)).toEqual([]);
    expect(await findEverywhere(ctx().dataSource, address.split('@')[0])).toEqual([]);

    // Still suppressed, though nothing keeps the address.
    const again = await importCsv(ctx(), key, toCsv([HEADER, [address, 'Erin', '']])).expect(200);
    expect(again.body.data).toMatchObject({ imported: 0, skipped: 1, skippedReasons: { suppressed: 1 } });
  });

  it('takes 10,000 entries in one call (a body over 100 KB), and answers 413 past 4 MB', async () => {
    const { key } = await ctx().newWorkspace();
    const emails = Array.from({ length: 10_000 }, (_, i) => `person.number${i}@example-company.com`);
    const added = await suppress(ctx(), key, { emails, reason: 'unsubscribed' });
    expect(added.body.data).toEqual({ added: 10_000, existing: 0, invalid: 0 });
    const res = await importCsv(ctx(), key, toCsv([HEADER, [emails[9_999], 'Last', '']])).expect(200);
    expect(res.body.data.skippedReasons.suppressed).toBe(1);

    const tooLarge = await ctx()
      .http()
      .post('/v1/suppressions')
      .set('X-Api-Key', key)
      .send({ emails: [`${'x'.repeat(4 * 1024 * 1024)}@example.com`] });
    expectError(tooLarge, 413, 'PAYLOAD_TOO_LARGE');
    expect(tooLarge.body.error.message).toContain('POST /v1/suppressions: 4 MB');
  });
});
