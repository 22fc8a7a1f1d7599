import { errorFile, importCsv, toCsv } from './support/import';
import { describeEachDatabase } from './support/test-app';

/** Splits RFC 4180 text into rows of cells (quotes, doubled quotes and line breaks inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += char;
    }
  }
  return rows;
}

describeEachDatabase('the error file: GET /v1/leads/imports/:id/errors.csv', (ctx) => {
  const header = ['Email', 'First Name', 'Company', 'Notes'];
  const file = toCsv([
    header,
    ['ok@example.com', 'Ann', 'Acme', 'fine'],
    ['not-an-email', 'Bob', '=HYPERLINK("http://evil.example","click")', '+1 555'],
    ['', 'No Email', '-5', '@SUM(A1)'],
    ['long@example.com', 'x'.repeat(600), 'Acme', '\tTabbed'],
    ['cy@example.com', 'Cy', 'Acme', 'fine'],
  ]);
  // A record whose bare quotes would make csv-parser merge cells: a malformed record.
  const csv = `${file}bo@example.com,Bob "The Builder" Smith,Acme,x\r\n`;

  it('lists every failed row as it was in the file, formula-safe, after Row, Line and Error', async () => {
    const { key } = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, csv, {}, 'contacts.csv').expect(200);
    expect(res.body.data).toMatchObject({ imported: 2, failed: 4 });
    const record = await ctx()
      .http()
      .get(`/v1/leads/imports/${res.body.data.importId}`)
      .set('X-Api-Key', key)
      .expect(200);
    const url: string = record.body.data.errorFileUrl;
    expect(url).toBe(`/v1/leads/imports/${res.body.data.importId}/errors.csv`);

    const download = await ctx().http().get(url).set('X-Api-Key', key).expect(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toContain('attachment; filename="contacts-errors.csv"');
    const text = download.text;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(['Row', 'Line', 'Error', ...header]);
    expect(rows.slice(1).map((row) => row.slice(0, 2))).toEqual([
      ['2', '3'],
      ['3', '4'],
      ['4', '5'],
      ['6', '7'],
    ]);
    expect(rows[1].slice(2)).toEqual([
      'Invalid email format',
      'not-an-email',
      'Bob',
      `'=HYPERLINK("http://evil.example","click")`,
      "'+1 555",
    ]);
    expect(rows[2].slice(2)).toEqual(['Email is required', '', 'No Email', "'-5", "'@SUM(A1)"]);
    expect(rows[3][2]).toMatch(/^firstName is too long/);
    expect(rows[3].slice(3)).toEqual(['long@example.com', 'x'.repeat(600), 'Acme', "'\tTabbed"]);
    expect(rows[4][2]).toMatch(/^Misplaced quote in the record starting at line 7/);
  });

  it('uploaded again once fixed, imports the fixed rows and ignores Row, Line and Error', async () => {
    const { key } = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, csv, {}, 'contacts.csv').expect(200);
    const download = await errorFile(ctx(), key, res.body.data.importId).expect(200);
    const fixed = download.text.replace('not-an-email', 'bob@example.com');
    const again = await importCsv(ctx(), key, fixed, {}, 'contacts-errors.csv').expect(200);
    // The fixed row, and the malformed record, which the error file writes with valid quotes.
    expect(again.body.data).toMatchObject({ imported: 2, failed: 2 });
    expect(again.body.data.csvInfo.mapping).toMatchObject({ Row: 'skip', Line: 'skip', Error: 'skip' });
    const lead = await ctx().http().get('/v1/leads?email=bob@example.com').set('X-Api-Key', key).expect(200);
    expect(lead.body.data.leads[0]).toMatchObject({ firstName: 'Bob', customFields: {} });
    expect(lead.body.data.leads[0].notes).toMatch(/^'?\+1 555$/);
  });

  it('is only for the workspace of the import, and absent without errors', async () => {
    const { key } = await ctx().newWorkspace();
    const other = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, csv).expect(200);
    await errorFile(ctx(), other.key, res.body.data.importId).expect(404);
    const clean = await importCsv(ctx(), key, 'email\nz@example.com\n').expect(200);
    const record = await ctx().http().get(`/v1/leads/imports/${clean.body.data.importId}`).set('X-Api-Key', key);
    expect(record.body.data.errorFileUrl).toBeNull();
  });
});
