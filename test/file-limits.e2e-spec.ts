import { errorFile, expectError, importCsv } from './support/import';
import { countRows, describeEachDatabase } from './support/test-app';

const COLUMNS_ERROR =
  'Line 1 has 5,242,881 columns; a CSV file may have at most 20,000. Delete the empty or unused columns (in a ' +
  'spreadsheet: the columns right of your data) and upload the file again.';

/** The probe's file: a 5 MB header of `email` and millions of blank-headed columns, and one lead. */
function blankHeadedColumns(): Buffer {
  return Buffer.concat([Buffer.from('email'), Buffer.alloc(5 * 1024 * 1024, ','), Buffer.from('\nwide@b.example\n')]);
}

describeEachDatabase(
  'file limits: columns and header size',
  (ctx) => {
    it('answers 400 to a 5 MB header of one email and millions of blank columns, and writes nothing', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const res = await importCsv(ctx(), key, blankHeadedColumns());
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toBe(COLUMNS_ERROR);
      const preview = await importCsv(ctx(), key, blankHeadedColumns(), { dryRun: 'true' });
      expect(preview.body.error.message).toBe(COLUMNS_ERROR);
      for (const table of ['imports', 'leads']) expect(await countRows(ctx(), table, workspaceId)).toBe(0);

      const suppressions = await ctx()
        .http()
        .post('/v1/suppressions/import/csv')
        .set('X-Api-Key', key)
        .attach('file', blankHeadedColumns(), { filename: 'bounces.csv', contentType: 'text/csv' });
      expectError(suppressions, 400, 'VALIDATION_ERROR');
      expect(suppressions.body.error.message).toBe(COLUMNS_ERROR);
      expect(await countRows(ctx(), 'suppressions', workspaceId)).toBe(0);
      await ctx().http().get('/health/ready').expect(200);
    });

    it('answers 400 to a header row over 256 KB, which no import record keeps', async () => {
      const { key, workspaceId } = await ctx().newWorkspace();
      const csv = `Email,${'Notes '.repeat(50_000)}\nbig@b.example,x\n`;
      const res = await importCsv(ctx(), key, csv);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toBe(
        'The header row (line 1) is larger than 256 KB. Make sure the file starts with a row of column names (not ' +
          'data) and shorten long names, then upload it again.',
      );
      expect(await countRows(ctx(), 'imports', workspaceId)).toBe(0);
    });

    it('imports a file at both limits and keeps its whole header for the error file', async () => {
      const { key } = await ctx().newWorkspace();
      // 20,000 columns whose names take exactly 256 KB, with quotes and backslashes that JSON escapes.
      const names = Array.from({ length: 19_999 }, (_, i) => `"F\\${String(i).padStart(5, '0')}"`);
      names[names.length - 1] += 'x'.repeat(262_144 - 'Email'.length - names.join('').length);
      const header = ['Email', ...names];
      expect(header).toHaveLength(20_000);
      expect(Buffer.byteLength(header.join(''))).toBe(262_144);
      const quoted = header.map((name) => (name.includes('"') ? `"${name.replace(/"/g, '""')}"` : name));
      const csv = `${quoted.join(',')}\nnot-an-email\nfine@b.example\n`;
      const res = await importCsv(ctx(), key, csv).expect(200);
      expect(res.body.data).toMatchObject({ imported: 1, failed: 1 });
      const download = await errorFile(ctx(), key, res.body.data.importId).expect(200);
      const [headerLine] = download.text.split('\r\n');
      expect(headerLine).toBe(`\uFEFFRow,Line,Error,${quoted.join(',')}`);
    }, 60_000);
  },
  // The header's names are custom columns: room for them, although no row fills one.
  { MAX_CUSTOM_FIELDS: '1000000' },
);

describeEachDatabase('file limits: runs of blank lines', (ctx) => {
  const BLANK_LINES = 45 * 1024 * 1024;

  it('answers 45 MB of blank lines as it answers a short file: empty, no email column, or imported', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const blank = (line: string, content = '') =>
      Buffer.concat([Buffer.alloc(BLANK_LINES, line), Buffer.from(content)]);

    const empty = await importCsv(ctx(), key, blank('\n'));
    expectError(empty, 400, 'VALIDATION_ERROR');
    expect(empty.body.error.message).toBe('CSV file is empty');
    const suppressions = await ctx()
      .http()
      .post('/v1/suppressions/import/csv')
      .set('X-Api-Key', key)
      .attach('file', blank(',\r\n'), { filename: 'bounces.csv', contentType: 'text/csv' });
    expectError(suppressions, 400, 'VALIDATION_ERROR');
    expect(suppressions.body.error.message).toBe('CSV file is empty');

    const noEmail = await importCsv(ctx(), key, blank('\r\n', 'Name,Company\r\nJane,Acme\r\n'));
    expectError(noEmail, 400, 'VALIDATION_ERROR');
    expect(noEmail.body.error.message).toBe(
      'No email column detected. Provide a "mapping" field or ensure your CSV has an "email" column.',
    );
    expect(await countRows(ctx(), 'imports', workspaceId)).toBe(0);

    const res = await importCsv(ctx(), key, blank('\n', 'Email,First Name\nnot-an-email,Ann\nfine@b.example,Bo\n'));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ imported: 1, failed: 1, csvInfo: { totalRows: 2 } });
    // The header is on the line after the blank ones: line numbers count them.
    expect(res.body.data.csvInfo.headerLine).toBe(BLANK_LINES + 1);
    expect(res.body.data.errors).toEqual([
      { row: 1, line: BLANK_LINES + 2, email: 'not-an-email', error: 'Invalid email format' },
    ]);
    await ctx().http().get('/health/ready').expect(200);
  });

  it.each([
    ['quoted blank rows', '"",""\r\n'],
    ['rows of Unicode spaces', '\u3000,\u00a0\r\n'],
  ])('imports the rows around 45 MB of %s, counting their lines', async (_name, row) => {
    const { key } = await ctx().newWorkspace();
    const rows = Math.floor(BLANK_LINES / Buffer.byteLength(row));
    const file = Buffer.concat([
      Buffer.from('Email,First Name\r\nann@b.example,Ann\r\n'),
      Buffer.from(row.repeat(rows)),
      Buffer.from('not-an-email,Bo\r\n'),
    ]);
    const res = await importCsv(ctx(), key, file);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ imported: 1, failed: 1, csvInfo: { totalRows: 2, headerLine: 1 } });
    expect(res.body.data.errors).toEqual([
      { row: 2, line: rows + 3, email: 'not-an-email', error: 'Invalid email format' },
    ]);
  });
});
