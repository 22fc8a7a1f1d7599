import { importCsv, toCsv, uniqueLeadsCsv, expectCountsAddUp } from './support/import';
import { describeEachDatabase } from './support/test-app';

interface RowError {
  row: number;
  line: number;
  email: string;
  error: string;
}

describeEachDatabase('import reports of any size', (ctx) => {
  /** Every failed row of an import, through the paged errors route. */
  async function allErrors(key: string, importId: string): Promise<RowError[]> {
    const errors: RowError[] = [];
    let cursor: number | null = 0;
    while (cursor !== null) {
      const res = await ctx()
        .http()
        .get(`/v1/leads/imports/${importId}/errors?limit=1000&cursor=${cursor}`)
        .set('X-Api-Key', key)
        .expect(200);
      errors.push(...(res.body.data.errors as RowError[]));
      cursor = res.body.data.nextCursor as number | null;
    }
    return errors;
  }

  it('50,000 failing rows with long cells: 200, the first 1,000 errors, and every one of them paged', async () => {
    const { key } = await ctx().newWorkspace();
    const long = 'x'.repeat(300);
    const csv = toCsv([['Email', 'Name'], ...Array.from({ length: 50_000 }, (_, i) => [`${long}${i}`, `Name ${i}`])]);
    const res = await importCsv(ctx(), key, csv).expect(200);
    const data = res.body.data;
    expect(data).toMatchObject({ imported: 0, failed: 50_000, errorCount: 50_000, errorsTruncated: true });
    expect(data.errors).toHaveLength(1000);
    expect(data.errors[999]).toMatchObject({ row: 1000, line: 1001, error: 'Invalid email format' });
    expectCountsAddUp(data);

    const record = await ctx().http().get(`/v1/leads/imports/${data.importId}`).set('X-Api-Key', key).expect(200);
    expect(record.body.data).toMatchObject({ status: 'completed', failed: 50_000, errorCount: 50_000 });
    expect(record.body.data.errors).toEqual(data.errors);
    const errors = await allErrors(key, data.importId);
    expect(errors.map((error) => error.row)).toEqual(Array.from({ length: 50_000 }, (_, i) => i + 1));
    expect(errors[49_999].email).toBe(`${long}49999`.slice(0, 254) + '…');
  }, 120_000);

  it('10,000 good rows and 40,000 bad ones: every good row written and the report says so', async () => {
    const { key } = await ctx().newWorkspace();
    const good = uniqueLeadsCsv(10_000, 'good.test').trimEnd().split('\r\n');
    const bad = Array.from({ length: 40_000 }, (_, i) => `not-an-email-${i},,,,,,,,,`);
    const res = await importCsv(ctx(), key, [...good, ...bad].join('\r\n') + '\r\n').expect(200);
    expect(res.body.data).toMatchObject({ imported: 10_000, failed: 40_000, errorCount: 40_000 });
    expect(res.body.data.importedLeadIds).toHaveLength(10_000);
    const record = await ctx()
      .http()
      .get(`/v1/leads/imports/${res.body.data.importId}`)
      .set('X-Api-Key', key)
      .expect(200);
    expect(record.body.data.importedLeadIds).toEqual(res.body.data.importedLeadIds);
    expect(await allErrors(key, res.body.data.importId)).toHaveLength(40_000);
  }, 120_000);

  it('pages errors only of imports of the workspace, and says how to fix a bad cursor', async () => {
    const { key } = await ctx().newWorkspace();
    const other = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, 'email\nbad\nworse\n').expect(200);
    const path = `/v1/leads/imports/${res.body.data.importId}/errors`;
    await ctx().http().get(path).set('X-Api-Key', other.key).expect(404);
    const page = await ctx().http().get(`${path}?limit=1`).set('X-Api-Key', key).expect(200);
    expect(page.body.data).toEqual({
      errors: [{ row: 1, line: 2, email: 'bad', error: 'Invalid email format' }],
      nextCursor: 1,
    });
    const last = await ctx().http().get(`${path}?limit=1&cursor=1`).set('X-Api-Key', key).expect(200);
    expect(last.body.data.nextCursor).toBeNull();
    const bad = await ctx().http().get(`${path}?cursor=abc`).set('X-Api-Key', key).expect(400);
    expect(bad.body.error.message).toContain('cursor must be the nextCursor value of a previous page');
  });
});
