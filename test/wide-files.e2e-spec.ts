import { expectError, importCsv } from './support/import';
import { describeEachDatabase, TestContext } from './support/test-app';

/** One header row (`Email` and `columns` others) and one data row whose every cell is filled. */
function wideCsv(columns: number, email: string): string {
  const names = Array.from({ length: columns }, (_, i) => `C${i}`);
  return `Email,${names.join(',')}\r\n${email},${names.map((_, i) => `v${i}`).join(',')}\r\n`;
}

async function countOf(ctx: TestContext, table: string, workspaceId: string): Promise<number> {
  const rows: Array<{ n: number | string }> = await ctx.dataSource.query(
    `SELECT COUNT(*) AS n FROM ${table} WHERE workspace_id = ?`,
    [workspaceId],
  );
  return Number(rows[0].n);
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
    for (const table of ['leads', 'imports', 'custom_fields']) expect(await countOf(ctx(), table, workspaceId)).toBe(0);
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
    expect(await countOf(ctx(), 'custom_fields', workspaceId)).toBe(500);
    expect(await countOf(ctx(), 'leads', workspaceId)).toBe(2);
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
        expect(await countOf(ctx(), 'custom_fields', workspaceId)).toBe(columns);
        const lead = await ctx().http().get(`/v1/leads/${res.body.data.importedLeadIds[0]}`).set('X-Api-Key', key);
        expect(Object.keys(lead.body.data.customFields)).toHaveLength(columns);
        expect(lead.body.data.customFields[`C${columns - 1}`]).toBe(`v${columns - 1}`);
      },
      120_000,
    );
  },
  { MAX_CUSTOM_FIELDS: '1000000' },
);
