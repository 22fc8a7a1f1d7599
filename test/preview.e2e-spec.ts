import { ImportSlots } from '../src/import/upload/import-slots';
import { errorFile, expectCountsAddUp, importCsv, toCsv, uniqueLeadsCsv } from './support/import';
import { describeEachDatabase } from './support/test-app';

describeEachDatabase('previews: dryRun=true', (ctx) => {
  const rows = [
    ['Email', 'First Name', 'Phone', 'Country', 'Industry'],
    [' Jane.Doe@ACME.com ', ' jane ', '(415) 555-2671', 'US', ' Retail  '],
    ['bob@acme.com', 'Bob', '', 'US', 'Retail'],
    ['not-an-email', 'Bad', '', '', ''],
    ['jane.doe@acme.com', 'Again', '', '', ''],
    ...Array.from({ length: 12 }, (_, i) => [`p${i}@acme.com`, `P${i}`, '', '', 'Software']),
  ];
  const csv = toCsv(rows);

  async function snapshot(key: string) {
    const leads = await ctx().http().get('/v1/leads?limit=200').set('X-Api-Key', key).expect(200);
    const fields = await ctx().http().get('/v1/custom-fields').set('X-Api-Key', key).expect(200);
    return { leads: leads.body.data, fields: fields.body.data };
  }

  it('answers what the real import then does, writes nothing, and is kept as previewed', async () => {
    const { key } = await ctx().newWorkspace();
    const before = await snapshot(key);
    const preview = await importCsv(ctx(), key, csv, { dryRun: 'true', tag: 'spring' }).expect(200);
    expect(preview.body.data).toMatchObject({ dryRun: true, imported: 14, skipped: 1, failed: 1, importedLeadIds: [] });
    expectCountsAddUp(preview.body.data);
    expect(await snapshot(key)).toEqual(before);
    const tags = await ctx().http().get('/v1/leads?tag=spring').set('X-Api-Key', key).expect(200);
    expect(tags.body.data.leads).toEqual([]);

    const record = await ctx()
      .http()
      .get(`/v1/leads/imports/${preview.body.data.importId}`)
      .set('X-Api-Key', key)
      .expect(200);
    expect(record.body.data).toMatchObject({ status: 'previewed', imported: 14, failed: 1, errorFileUrl: null });
    expect(record.body.data.options.dryRun).toBe(true);

    const real = await importCsv(ctx(), key, csv, { tag: 'spring' }).expect(200);
    const { importId: _a, importedLeadIds, dryRun, preview: _p, ...realCounts } = real.body.data;
    const { importId: _b, importedLeadIds: _none, dryRun: _d, preview: shown, ...previewCounts } = preview.body.data;
    expect(dryRun).toBe(false);
    expect(importedLeadIds).toHaveLength(14);
    expect(realCounts).toEqual(previewCounts);
    expect(real.body.data.preview).toBeUndefined();
    expect(shown).toHaveLength(10);
  });

  it('shows the first rows as they would be stored, with what cleanup changed', async () => {
    const { key } = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, csv, { dryRun: 'yes' }).expect(200);
    const [jane, bob] = res.body.data.preview;
    expect(jane).toEqual({
      row: 1,
      line: 2,
      fields: expect.objectContaining({ email: 'jane.doe@acme.com', firstName: 'Jane', phone: '+14155552671' }),
      customFields: { Industry: 'Retail' },
      changes: expect.arrayContaining([
        { field: 'email', from: ' Jane.Doe@ACME.com ', to: 'jane.doe@acme.com' },
        { field: 'firstName', from: ' jane ', to: 'Jane' },
        { field: 'phone', from: '(415) 555-2671', to: '+14155552671' },
        { field: 'custom:Industry', from: ' Retail  ', to: 'Retail' },
      ]),
    });
    expect(bob.row).toBe(2);
    expect(bob.changes).toEqual([]);
  });

  it('in update mode, counts the stored leads it would update and leaves them as they are', async () => {
    const { key } = await ctx().newWorkspace();
    await importCsv(
      ctx(),
      key,
      toCsv([
        ['Email', 'First Name'],
        ['bob@acme.com', 'Robert'],
      ]),
    ).expect(200);
    const before = await snapshot(key);
    const res = await importCsv(ctx(), key, csv, { dryRun: '1', skipDuplicates: 'false' }).expect(200);
    expect(res.body.data).toMatchObject({ imported: 13, updated: 1, skipped: 1, failed: 1 });
    expect(await snapshot(key)).toEqual(before);
    const real = await importCsv(ctx(), key, csv, { skipDuplicates: 'false' }).expect(200);
    expect(real.body.data).toMatchObject({ imported: 13, updated: 1, skipped: 1, failed: 1 });
  });

  it('takes the same boolean values as the other flags, and has no error file', async () => {
    const { key } = await ctx().newWorkspace();
    const bad = await importCsv(ctx(), key, csv, { dryRun: 'maybe' }).expect(400);
    expect(bad.body.error.message).toBe('dryRun must be true or false (1/0 and yes/no are accepted too).');
    const res = await importCsv(ctx(), key, csv, { dryRun: 'true' }).expect(200);
    const file = await errorFile(ctx(), key, res.body.data.importId).expect(400);
    expect(file.body.error.message).toContain('import the file to get its error file');
  });

  it('explains every column: your mapping, a header alias, the values, a custom field, skipped', async () => {
    const { key } = await ctx().newWorkspace();
    const file = toCsv([
      ['Kontakt', 'E-mail 1 - Value', 'Vorname', 'Industry', 'Internal'],
      ...Array.from({ length: 20 }, (_, i) => [
        `c${i}@acme.com`,
        i === 0 ? 'not-an-email' : '',
        `N${i}`,
        'Retail',
        'x',
      ]),
    ]);
    // The alias column is skipped by the mapping, so the email column must be found by its values.
    const mapping = JSON.stringify({ 'E-mail 1 - Value': 'skip', Internal: 'custom:Notes2' });
    const res = await importCsv(ctx(), key, file, { dryRun: 'true', mapping }).expect(200);
    expect(res.body.data.csvInfo.mappingDetails).toEqual([
      { column: 'Kontakt', target: 'email', source: 'content', evidence: '20 of 20 sampled values are emails' },
      { column: 'E-mail 1 - Value', target: 'skip', source: 'skip' },
      { column: 'Vorname', target: 'firstName', source: 'alias', evidence: "header alias 'Vorname'" },
      { column: 'Industry', target: 'custom:Industry', source: 'custom' },
      { column: 'Internal', target: 'custom:Notes2', source: 'mapping' },
    ]);
    expect(res.body.data.imported).toBe(20);
  });

  it('does not hold an import slot: an import of the same key runs beside a preview, and the slots add up after', async () => {
    const { key } = await ctx().newWorkspace();
    const slots = ctx().app.get(ImportSlots);
    const big = uniqueLeadsCsv(20_000, 'preview.test');
    const preview = importCsv(ctx(), key, big, { dryRun: 'true' }).then((res) => res);
    // Once the preview's record is open, its body has been read and its slot given back.
    for (let tries = 0; tries < 2000; tries++) {
      const open = await ctx().dataSource.query<unknown[]>("SELECT id FROM imports WHERE status = 'processing'");
      if (open.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(slots.active).toBe(0);
    const real = await importCsv(ctx(), key, toCsv([['Email'], ['solo@example.com']])).expect(200);
    expect(real.body.data.imported).toBe(1);
    expect((await preview).status).toBe(200);
    expect(slots.active).toBe(0);
  });
});
