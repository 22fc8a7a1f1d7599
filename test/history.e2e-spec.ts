import { expectError, importCsv, toCsv } from './support/import';
import { describeEachDatabase } from './support/test-app';

/** A mapping of `bytes` bytes or more whose keys name no column, plus `extra`. */
function bigMapping(bytes: number, extra: Record<string, string> = {}): string {
  const mapping: Record<string, string> = { ...extra };
  for (let i = 0, size = JSON.stringify(extra).length; size < bytes; i++) {
    const key = `Not a column ${i} ${'x'.repeat(40)}`;
    mapping[key] = 'skip';
    size += key.length + 10;
  }
  return JSON.stringify(mapping);
}

describeEachDatabase('import history stays small', (ctx) => {
  const csv = toCsv([
    ['E-mail', 'Given'],
    ['history@acme.example', 'Ada'],
  ]);

  it('answers 400 naming the field for a mapping over 64 KB (1 MB, and just over), and keeps no record', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    for (const bytes of [1024 * 1024, 64 * 1024 + 1]) {
      const mapping = bigMapping(bytes, { 'E-mail': 'email' }).slice(0, bytes - 1) + '}';
      expect(Buffer.byteLength(mapping)).toBe(bytes);
      const res = await importCsv(ctx(), key, csv, { mapping });
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toContain('Form field "mapping" is too long (at most 64 KB).');
    }
    const records = await ctx().dataSource.query('SELECT id FROM imports WHERE workspace_id = ?', [workspaceId]);
    expect(records).toEqual([]);
  });

  it('keeps only the mapping keys that named a column, counts the rest, and lists imports without mappings', async () => {
    const { key } = await ctx().newWorkspace();
    const mapping = bigMapping(60 * 1024, { 'E-mail': 'email', Given: 'firstName' });
    const unused = Object.keys(JSON.parse(mapping) as object).length - 2;
    for (let i = 0; i < 5; i++) await importCsv(ctx(), key, csv, { mapping }).expect(200);

    const page = await ctx().http().get('/v1/leads/imports').set('X-Api-Key', key).expect(200);
    expect(page.body.data.imports).toHaveLength(5);
    expect(page.text.length).toBeLessThan(5 * 1024);
    for (const summary of page.body.data.imports) {
      expect(summary.options).toEqual({ skipDuplicates: true, dataCleanup: true, tag: null });
      expect(JSON.stringify(summary).length).toBeLessThan(1024);
    }

    const detail = await ctx()
      .http()
      .get(`/v1/leads/imports/${page.body.data.imports[0].id}`)
      .set('X-Api-Key', key)
      .expect(200);
    expect(detail.body.data.options).toEqual({
      skipDuplicates: true,
      dataCleanup: true,
      tag: null,
      dryRun: false,
      rejectRoleAddresses: false,
      rejectDisposable: false,
      mapping: { 'E-mail': 'email', Given: 'firstName' },
      unusedMapping: unused,
    });
    expect(detail.body.data.csvInfo.unusedMapping).toBe(unused);
    expect(detail.text.length).toBeLessThan(4 * 1024);
  });
});
