import { ImportHistory } from '../src/import/history/import-history.service';
import { StaleImportSweeper } from '../src/import/history/stale-import-sweeper';
import { importCsv, toCsv } from './support/import';
import { describeEachDatabase } from './support/test-app';

interface Lead {
  id: string;
  email: string;
  updatedAt?: string;
  [field: string]: unknown;
}

describeEachDatabase('undo: POST /v1/leads/imports/:id/undo', (ctx) => {
  /** Every lead of the workspace with its fields, custom fields and tags, without the timestamp undo rewrites. */
  async function leadsOf(key: string): Promise<Lead[]> {
    const res = await ctx().http().get('/v1/leads?limit=200').set('X-Api-Key', key).expect(200);
    return (res.body.data.leads as Lead[])
      .map(({ updatedAt: _updated, ...lead }) => lead)
      .sort((a, b) => a.email.localeCompare(b.email));
  }

  const undo = (key: string, id: string) => ctx().http().post(`/v1/leads/imports/${id}/undo`).set('X-Api-Key', key);

  const original = toCsv([
    ['Email', 'First Name', 'Company', 'Industry', 'Region'],
    ['ann@acme.com', 'Ann', 'Acme', 'Retail', ''],
    ['bob@acme.com', 'Bob', '', 'Retail', 'West'],
  ]);
  const second = toCsv([
    ['Email', 'First Name', 'Company', 'Industry', 'Size'],
    ['ANN@acme.com', 'Annie', 'Acme Corp', 'Software', '50'],
    ['bob@acme.com', '', 'Bobco', 'Retail', ''],
    ['cy@acme.com', 'Cy', 'Cyco', 'Software', '10'],
    ['dee@acme.com', 'Dee', '', '', ''],
  ]);

  it('of a fresh import: the workspace is as it was before, leads, custom fields and tags alike', async () => {
    const { key } = await ctx().newWorkspace();
    await importCsv(ctx(), key, original, { tag: 'old' }).expect(200);
    const before = await leadsOf(key);
    const res = await importCsv(ctx(), key, second, { tag: 'new' }).expect(200);
    expect(res.body.data).toMatchObject({ imported: 2, skipped: 2 });
    const undone = await undo(key, res.body.data.importId).expect(200);
    expect(undone.body.data).toEqual({ deleted: 2, restored: 0, kept: 0, tagRemoved: 0, conflicts: [] });
    expect(await leadsOf(key)).toEqual(before);
    const record = await ctx().http().get(`/v1/leads/imports/${res.body.data.importId}`).set('X-Api-Key', key);
    expect(record.body.data.status).toBe('undone');
  });

  it('of an update-mode import: the exact previous values come back, and the tag it added goes', async () => {
    const { key } = await ctx().newWorkspace();
    await importCsv(ctx(), key, original, { tag: 'old' }).expect(200);
    const before = await leadsOf(key);
    const res = await importCsv(ctx(), key, second, { skipDuplicates: 'false', tag: 'new' }).expect(200);
    expect(res.body.data).toMatchObject({ imported: 2, updated: 2 });
    const changed = await leadsOf(key);
    expect(changed.find((lead) => lead.email === 'ann@acme.com')).toMatchObject({
      firstName: 'Annie',
      customFields: { Industry: 'Software', Size: '50' },
      tags: ['new', 'old'],
    });
    const undone = await undo(key, res.body.data.importId).expect(200);
    expect(undone.body.data).toMatchObject({ deleted: 2, restored: 2, kept: 0, tagRemoved: 2 });
    expect(await leadsOf(key)).toEqual(before);
  });

  it('of an update that changed nothing: no ledger entry for its leads, and nothing to put back', async () => {
    const { key } = await ctx().newWorkspace();
    await importCsv(ctx(), key, original, { tag: 'old' }).expect(200);
    const before = await leadsOf(key);
    const ledgerOf = async (importId: string) => {
      const rows: Array<{ n: number | string }> = await ctx().dataSource.query(
        'SELECT COUNT(*) AS n FROM import_ledger WHERE import_id = ?',
        [importId],
      );
      return Number(rows[0].n);
    };

    const same = await importCsv(ctx(), key, original, { skipDuplicates: 'false', tag: 'old' }).expect(200);
    expect(same.body.data).toMatchObject({ imported: 0, updated: 2 });
    expect(await ledgerOf(same.body.data.importId)).toBe(0);
    const undone = await undo(key, same.body.data.importId).expect(200);
    expect(undone.body.data).toEqual({ deleted: 0, restored: 0, kept: 0, tagRemoved: 0, conflicts: [] });
    expect(await leadsOf(key)).toEqual(before);

    // A new tag is a change: its undo removes it.
    const tagged = await importCsv(ctx(), key, original, { skipDuplicates: 'false', tag: 'new' }).expect(200);
    expect(await ledgerOf(tagged.body.data.importId)).toBe(2);
    const untagged = await undo(key, tagged.body.data.importId).expect(200);
    expect(untagged.body.data).toMatchObject({ restored: 2, tagRemoved: 2 });
    expect(await leadsOf(key)).toEqual(before);
  });

  it('keeps what a later import changed, and says so', async () => {
    const { key } = await ctx().newWorkspace();
    const first = await importCsv(ctx(), key, original).expect(200);
    await importCsv(
      ctx(),
      key,
      toCsv([
        ['Email', 'Company'],
        ['bob@acme.com', 'Later Inc'],
      ]),
      {
        skipDuplicates: 'false',
      },
    ).expect(200);
    const undone = await undo(key, first.body.data.importId).expect(200);
    expect(undone.body.data).toMatchObject({ deleted: 1, restored: 0, kept: 1 });
    expect(undone.body.data.conflicts).toEqual([
      { leadId: expect.any(String), email: 'bob@acme.com', reason: 'changed after the import' },
    ]);
    expect((await leadsOf(key)).map((lead) => [lead.email, lead.companyName])).toEqual([['bob@acme.com', 'Later Inc']]);
  });

  it('runs once: two undos at once end with one undone, a third is refused', async () => {
    const { key } = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, second).expect(200);
    const answers = await Promise.all([undo(key, res.body.data.importId), undo(key, res.body.data.importId)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 200)!.body.data.deleted).toBe(4);
    const again = await undo(key, res.body.data.importId).expect(409);
    expect(again.body.error).toEqual({ code: 'CONFLICT', message: 'Import was already undone' });
    expect(await leadsOf(key)).toEqual([]);
  });

  it('answers 404, 409, 410 and 400 where it cannot undo', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const other = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, original).expect(200);
    await undo(other.key, res.body.data.importId).expect(404);
    await undo(key, '665d4e5f6a7b8c9d0e1f2a3b').expect(404);

    const running = await ctx()
      .app.get(ImportHistory)
      .start({
        workspaceId,
        apiKeyId: 'x',
        fileName: 'running.csv',
        fileBytes: 1,
        options: { skipDuplicates: true, dataCleanup: true, tag: null, mapping: null },
        totalRows: 1,
      });
    expect((await undo(key, running).expect(409)).body.error.message).toBe('Import is still running');

    const preview = await importCsv(ctx(), key, original, { dryRun: 'true' }).expect(200);
    expect((await undo(key, preview.body.data.importId).expect(400)).body.error.code).toBe('VALIDATION_ERROR');

    await ctx().dataSource.query('UPDATE imports SET created_at = ? WHERE id = ?', [
      '2020-01-01 00:00:00.000',
      res.body.data.importId,
    ]);
    const gone = await undo(key, res.body.data.importId).expect(410);
    expect(gone.body.error).toEqual({ code: 'GONE', message: 'Imports can be undone for 30 days; this one is older.' });
  });

  it('drops the ledger of imports past IMPORT_UNDO_DAYS (what their updates replaced)', async () => {
    const { key } = await ctx().newWorkspace();
    await importCsv(ctx(), key, original).expect(200);
    const res = await importCsv(ctx(), key, second, { skipDuplicates: 'false' }).expect(200);
    const ledger = () =>
      ctx().dataSource.query<Array<{ n: number | string }>>(
        'SELECT COUNT(*) AS n FROM import_ledger WHERE import_id = ?',
        [res.body.data.importId],
      );
    expect(Number((await ledger())[0].n)).toBe(2);
    await ctx().app.get(StaleImportSweeper).purgeExpiredLedgers();
    expect(Number((await ledger())[0].n)).toBe(2);
    await ctx().dataSource.query('UPDATE imports SET created_at = ? WHERE id = ?', [
      '2020-01-01 00:00:00.000',
      res.body.data.importId,
    ]);
    await ctx().app.get(StaleImportSweeper).purgeExpiredLedgers();
    expect(Number((await ledger())[0].n)).toBe(0);
  });
});
