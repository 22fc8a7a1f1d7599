import { expectError, importCsv, toCsv } from './support/import';
import { countRows, describeEachDatabase, TestContext } from './support/test-app';

/** One header row (`Email` and `columns` others) and one data row whose every cell is filled. */
function wideCsv(columns: number, email: string): string {
  const names = Array.from({ length: columns }, (_, i) => `C${i}`);
  return `Email,${names.join(',')}\r\n${email},${names.map((_, i) => `v${i}`).join(',')}\r\n`;
}

describeEachDatabase('wide files: the custom field cap (MAX_CUSTOM_FIELDS=500)', (ctx) => {
  it.each([10_000, 19_999])('answers 400 naming the %d new columns and writes nothing', async (columns) => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, wideCsv(columns, 'wide@acme.example'));
    expectError(res, 400, 'VALIDATION_ERROR');
    expect(res.body.error.message).toBe(
      `This file would add ${columns.toLocaleString('en')} new custom fields (columns not mapped to a lead field); ` +
        'the workspace has 0 of at most 500. Map those columns to lead fields, or to "skip", in "mapping", or ' +
        'remove them from the file.',
    );
    for (const table of ['leads', 'imports', 'custom_fields'])
      expect(await countRows(ctx(), table, workspaceId)).toBe(0);
  });

  it('counts only new fields against the cap: known names pass, one more than the room left is refused', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    await importCsv(ctx(), key, wideCsv(499, 'first@acme.example')).expect(200);
    // The same 499 names in another case, plus one: exactly the cap.
    const again = wideCsv(500, 'second@acme.example')
      .replace(/^Email,/, 'EMAIL,')
      .replace(/\bC(\d+)/g, 'c$1');
    await importCsv(ctx(), key, again).expect(200);
    const over = await importCsv(ctx(), key, 'Email,C1,Brand new,Also new\r\nthird@acme.example,a,b,c\r\n');
    expectError(over, 400, 'VALIDATION_ERROR');
    expect(over.body.error.message).toContain('would add 2 new custom fields');
    expect(over.body.error.message).toContain('the workspace has 500 of at most 500');
    expect(await countRows(ctx(), 'custom_fields', workspaceId)).toBe(500);
    expect(await countRows(ctx(), 'leads', workspaceId)).toBe(2);
  });

  it('pages GET /v1/custom-fields with limit and cursor, oldest first', async () => {
    const { key } = await ctx().newWorkspace();
    await importCsv(ctx(), key, 'Email,Gamma,Alpha,Beta\r\npage@acme.example,1,2,3\r\n').expect(200);
    const list = (query: Record<string, string>) =>
      ctx().http().get('/v1/custom-fields').query(query).set('X-Api-Key', key);
    const first = await list({ limit: '2' }).expect(200);
    expect(first.body.data.customFields.map((f: { name: string }) => f.name)).toEqual(['Gamma', 'Alpha']);
    expect(first.body.data.nextCursor).toBe(first.body.data.customFields[1].id);
    const second = await list({ limit: '2', cursor: first.body.data.nextCursor }).expect(200);
    expect(second.body.data).toEqual({ customFields: [expect.objectContaining({ name: 'Beta' })], nextCursor: null });
    expectError(await list({ limit: '201' }), 400, 'VALIDATION_ERROR');
    expectError(await list({ cursor: 'nope' }), 400, 'VALIDATION_ERROR');
  });
});

describeEachDatabase(
  'wide files: registration within the database limits',
  (ctx) => {
    it.each([10_000, 19_999])(
      'imports a file with %d new columns and registers every one',
      async (columns) => {
        const { key, workspaceId } = await ctx().newWorkspace();
        const res = await importCsv(ctx(), key, wideCsv(columns, 'wide@acme.example'));
        expect({ status: res.status, imported: res.body.data?.imported, error: res.body.error }).toEqual({
          status: 200,
          imported: 1,
          error: undefined,
        });
        expect(await countRows(ctx(), 'custom_fields', workspaceId)).toBe(columns);
        const lead = await ctx().http().get(`/v1/leads/${res.body.data.importedLeadIds[0]}`).set('X-Api-Key', key);
        expect(Object.keys(lead.body.data.customFields)).toHaveLength(columns);
        expect(lead.body.data.customFields[`C${columns - 1}`]).toBe(`v${columns - 1}`);
      },
      120_000,
    );
  },
  { MAX_CUSTOM_FIELDS: '1000000' },
);

/** A lead's custom fields as the API returns them. */
async function customFieldsOf(ctx: TestContext, key: string, id: string): Promise<Record<string, string>> {
  const lead = await ctx.http().get(`/v1/leads/${id}`).set('X-Api-Key', key).expect(200);
  return lead.body.data.customFields as Record<string, string>;
}

// Update mode merges each row's custom fields over the stored ones in the app (JSON_MERGE_PATCH is quadratic in
// MariaDB); both ways of reading the stored ones: with the undo ledger's read, and the locking read without it.
for (const [ledger, env] of [
  ['with the undo ledger', {}],
  ['without the undo ledger', { IMPORT_UNDO_DAYS: '0' }],
] as const) {
  describeEachDatabase(
    `wide files: update mode merges 450 custom fields, ${ledger}`,
    (ctx) => {
      it('keeps stored keys the file lacks or leaves blank, replaces the others, adds new ones', async () => {
        const { key } = await ctx().newWorkspace();
        const stored = Array.from({ length: 450 }, (_, i) => `F${i}`); // F0…F449
        const file = Array.from({ length: 450 }, (_, i) => `F${i + 25}`); // F25…F474: 25 new, F0…F24 missing
        const blank = new Set(['F100', 'F449']);
        const first = toCsv([
          ['Email', ...stored],
          ['full@wide.example', ...stored.map((name) => `old ${name}`)],
          ['sparse@wide.example', ...stored.map((name, i) => (i % 100 === 0 ? `old ${name}` : ''))],
        ]);
        const created = await importCsv(ctx(), key, first).expect(200);
        expect(created.body.data).toMatchObject({ imported: 2, failed: 0 });
        const [fullId, sparseId] = created.body.data.importedLeadIds as string[];
        expect(Object.keys(await customFieldsOf(ctx(), key, sparseId))).toEqual(['F0', 'F100', 'F200', 'F300', 'F400']);

        const second = toCsv([
          ['Email', ...file],
          ['FULL@wide.example', ...file.map((name) => (blank.has(name) ? '' : `new ${name}`))],
          ['sparse@wide.example', ...file.map((name) => (blank.has(name) ? '' : `new ${name}`))],
          ['fresh@wide.example', ...file.map((name) => `new ${name}`)],
        ]);
        const updated = await importCsv(ctx(), key, second, { skipDuplicates: 'false' }).expect(200);
        expect(updated.body.data).toMatchObject({ imported: 1, updated: 2, skipped: 0, failed: 0 });

        // What SQLite's json_patch and MariaDB's JSON_MERGE_PATCH gave: the file's non-empty values over the stored.
        const expected = (storedNames: string[]) => {
          const merged: Record<string, string> = {};
          for (const name of storedNames) merged[name] = `old ${name}`;
          for (const name of file) if (!blank.has(name)) merged[name] = `new ${name}`;
          return merged;
        };
        const full = expected(stored);
        expect(Object.keys(full)).toHaveLength(475);
        expect(full).toMatchObject({
          F0: 'old F0',
          F24: 'old F24',
          F25: 'new F25',
          F100: 'old F100',
          F474: 'new F474',
        });
        expect(await customFieldsOf(ctx(), key, fullId)).toEqual(full);
        // F100 stays from the first file; F200…F400 are replaced; F0 is not in the second file.
        const sparse = expected(['F0', 'F100', 'F200', 'F300', 'F400']);
        expect(sparse).toMatchObject({ F0: 'old F0', F100: 'old F100', F200: 'new F200', F300: 'new F300' });
        expect(await customFieldsOf(ctx(), key, sparseId)).toEqual(sparse);
        const freshId = (updated.body.data.importedLeadIds as string[])[0];
        expect(await customFieldsOf(ctx(), key, freshId)).toEqual(Object.fromEntries(file.map((n) => [n, `new ${n}`])));
      });

      it('leaves the stored custom fields alone when the file has none', async () => {
        const { key } = await ctx().newWorkspace();
        const names = Array.from({ length: 450 }, (_, i) => `F${i}`);
        const created = await importCsv(
          ctx(),
          key,
          toCsv([
            ['Email', ...names],
            ['kept@wide.example', ...names.map((name) => `old ${name}`)],
          ]),
        ).expect(200);
        const again = toCsv([
          ['Email', 'First Name', 'F7'],
          ['kept@wide.example', 'Kay', ''],
        ]);
        const updated = await importCsv(ctx(), key, again, { skipDuplicates: 'false' }).expect(200);
        expect(updated.body.data).toMatchObject({ updated: 1, failed: 0 });
        const id = created.body.data.importedLeadIds[0];
        expect(await customFieldsOf(ctx(), key, id)).toEqual(Object.fromEntries(names.map((n) => [n, `old ${n}`])));
        const lead = await ctx().http().get(`/v1/leads/${id}`).set('X-Api-Key', key).expect(200);
        expect(lead.body.data.firstName).toBe('Kay');
      });
    },
    env,
  );
}
