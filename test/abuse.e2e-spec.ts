import { readdirSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import type { Response } from 'supertest';
import { ImportSlots } from '../src/import/upload/import-slots';
import { errorFile, expectCountsAddUp, expectError, importCsv, toCsv } from './support/import';
import { filePartHead, openRawUpload } from './support/raw-upload';
import { describeEachDatabase, listeningPort, TestContext, until } from './support/test-app';

/** multer's disk storage names its temp files with 32 hex characters; memory storage must never create one. */
const multerTempFiles = () => new Set(readdirSync(tmpdir()).filter((name) => /^[0-9a-f]{32}$/.test(name)));
const tempFilesBefore = multerTempFiles();

const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const prototypeBefore = prototypeNames();

function expectPrototypeUntouched(): void {
  expect(prototypeNames()).toEqual(prototypeBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.toString.call([])).toBe('[object Array]');
}

async function expectHealthy(ctx: TestContext): Promise<void> {
  await ctx.http().get('/health/ready').expect(200);
}

async function leadOf(ctx: TestContext, key: string, res: Response) {
  const [id] = res.body.data.importedLeadIds as string[];
  return (await ctx.http().get(`/v1/leads/${id}`).set('X-Api-Key', key).expect(200)).body.data;
}

describeEachDatabase('abuse: malformed multipart uploads', (ctx) => {
  const post = (key: string) => ctx().http().post('/v1/leads/import/csv').set('X-Api-Key', key);
  const boundary = 'leadportBoundary';
  const filePart = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nEmail\na@b.com\r\n`;

  it('answers 400 for a body without boundary, a truncated body, an unsupported multipart type or a part without headers', async () => {
    const { key } = await ctx().newWorkspace();
    const cases: Array<[contentType: string, body: string, says: string]> = [
      ['multipart/form-data', `${filePart}--${boundary}--\r\n`, 'Boundary not found'],
      [`multipart/form-data; boundary=${boundary}`, filePart, 'Unexpected end of form'],
      [`multipart/form-data; boundary=${boundary}`, `--${boundary}\r\n\r\nEmail\na@b.com\r\n--${boundary}--\r\n`, ''],
      [`multipart/mixed; boundary=${boundary}`, `${filePart}--${boundary}--\r\n`, 'multipart/mixed'],
      [`multipart/form-data; boundary=${boundary}`, 'not multipart at all', ''],
    ];
    for (const [contentType, body, says] of cases) {
      const res = await post(key).set('Content-Type', contentType).send(body);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toContain(says);
    }
    await expectHealthy(ctx());
  });

  it('answers 400 for 10,000 form fields, a 2 MB field value, a 500-byte field name and nested field names', async () => {
    const { key } = await ctx().newWorkspace();
    const file = Buffer.from('Email\na@b.com\n');
    let manyFields = post(key);
    for (let i = 0; i < 10_000; i++) manyFields = manyFields.field(`f${i}`, 'x');
    expectError(await manyFields.attach('file', file, 'a.csv'), 400, 'VALIDATION_ERROR');

    const hugeValue = await post(key)
      .field('mapping', 'x'.repeat(2 * 1024 * 1024))
      .attach('file', file, 'a.csv');
    expectError(hugeValue, 400, 'VALIDATION_ERROR');
    expect(hugeValue.body.error.message).toMatch(/^Form field "mapping" is too long \(at most 64 KB\)\. Map only/);

    expectError(await post(key).field('m'.repeat(500), 'x').attach('file', file, 'a.csv'), 400, 'VALIDATION_ERROR');
    for (const name of ['__proto__[polluted]', 'constructor[prototype][polluted]', 'tag[]', 'mapping[email]']) {
      expectError(await post(key).field(name, 'yes').attach('file', file, 'a.csv'), 400, 'VALIDATION_ERROR');
    }
    expectPrototypeUntouched();
    await expectHealthy(ctx());
  });

  it('answers 400 "CSV file is required" for every non-multipart content type and for a file sent as a text field', async () => {
    const { key } = await ctx().newWorkspace();
    const required = 'CSV file is required. Send as multipart/form-data with field name "file".';
    const csv = 'Email\na@b.com\n';
    for (const type of ['text/csv', 'text/plain', 'application/octet-stream', 'application/xml', 'image/png']) {
      const res = await post(key).set('Content-Type', type).send(Buffer.from(csv));
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toBe(required);
    }
    for (const res of [
      await post(key).type('form').send({ file: csv }),
      await post(key).field('file', csv),
      await post(key),
    ]) {
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toBe(required);
    }
    await expectHealthy(ctx());
  });

  it('survives uploads the client aborts half-way: no import slot, record or lead is left behind', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const port = await listeningPort(ctx());
    const slots = ctx().app.get(ImportSlots);
    const rows = 'someone@aborted.example,Jane\n'.repeat(20_000);
    // More aborts than IMPORT_MAX_CONCURRENT_PER_WORKSPACE (2): a leaked slot would turn the next import into a 429.
    for (let attempt = 0; attempt < 3; attempt++) {
      const request = openRawUpload({ port, key, boundary, contentLength: 10 * 1024 * 1024 });
      const closed = new Promise((resolve) => request.on('close', resolve));
      request.on('error', () => undefined); // the abort is the point
      request.write(`${filePartHead(boundary, 'a.csv')}Email,Name\n${rows}`);
      await until(() => slots.active === 1, 'the upload takes its import slot');
      request.destroy();
      await closed;
      await until(() => slots.active === 0, 'the aborted upload gives its slot back');
    }
    const next = await importCsv(ctx(), key, 'Email\nafter@aborted.example\n').expect(200);
    expect(next.body.data.imported).toBe(1);
    const imports = await ctx().http().get('/v1/leads/imports').set('X-Api-Key', key).expect(200);
    expect(imports.body.data.imports.map((i: { id: string }) => i.id)).toEqual([next.body.data.importId]);
    const leads: Array<{ n: number | string }> = await ctx().dataSource.query(
      'SELECT COUNT(*) AS n FROM leads WHERE workspace_id = ?',
      [workspaceId],
    );
    expect(Number(leads[0].n)).toBe(1);
    await expectHealthy(ctx());
  });

  it('refuses a header block over the HTTP parser limit before the app and stays up', async () => {
    const { key } = await ctx().newWorkspace();
    const port = await listeningPort(ctx());
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: 'GET',
        path: '/v1/leads',
        headers: { 'X-Api-Key': key, 'X-Padding': 'p'.repeat(64 * 1024) },
      });
      request.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(431);
    await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200);
    await expectHealthy(ctx());
  });
});

describeEachDatabase('abuse: hostile CSV content', (ctx) => {
  it('stores headers named __proto__, constructor, prototype or SQL as plain custom fields and pollutes nothing', async () => {
    const { key } = await ctx().newWorkspace();
    const hostile = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '"; DROP TABLE leads; --'];
    const values = hostile.map((_, i) => `value ${i}`);
    const res = await importCsv(
      ctx(),
      key,
      toCsv([
        ['Email', ...hostile],
        ['proto@b.example', ...values],
      ]),
    ).expect(200);
    expect(res.body.data).toMatchObject({ imported: 1, failed: 0 });
    const mapping = res.body.data.csvInfo.mapping as Record<string, string>;
    expect(Object.entries(mapping)).toEqual([['Email', 'email'], ...hostile.map((h) => [h, `custom:${h}`])]);

    const lead = await leadOf(ctx(), key, res);
    expect(Object.entries(lead.customFields)).toEqual(hostile.map((h, i) => [h, values[i]]));
    const fields = await ctx().http().get('/v1/custom-fields').set('X-Api-Key', key).expect(200);
    expect(fields.body.data.customFields.map((f: { name: string }) => f.name).sort()).toEqual([...hostile].sort());

    // The update path merges custom fields: __proto__ stays a value there too.
    const again = toCsv([
      ['Email', '__proto__'],
      ['proto@b.example', 'updated'],
    ]);
    const updated = await importCsv(ctx(), key, again, { skipDuplicates: 'false' }).expect(200);
    expect(updated.body.data.updated).toBe(1);
    const merged = await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200);
    expect(Object.getOwnPropertyDescriptor(merged.body.data.customFields, '__proto__')?.value).toBe('updated');
    expect(merged.body.data.customFields.constructor).toBe('value 1');

    const count: Array<{ n: number | string }> = await ctx().dataSource.query('SELECT COUNT(*) AS n FROM leads');
    expect(Number(count[0].n)).toBeGreaterThan(0);
    expectPrototypeUntouched();
  });

  it('refuses mappings that try to reach the prototype and honours a column named __proto__', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['__proto__', 'constructor'],
      ['mapped@b.example', 'Ann'],
    ]);
    for (const mapping of [
      '{"__proto__": {"polluted": "yes"}}',
      '{"constructor": {"prototype": {"polluted": "yes"}}}',
      '{"__proto__": ["email"]}',
    ]) {
      expectError(await importCsv(ctx(), key, csv, { mapping }), 400, 'VALIDATION_ERROR');
    }
    const res = await importCsv(ctx(), key, csv, {
      mapping: '{"__proto__": "email", "constructor": "firstName"}',
    }).expect(200);
    expect(res.body.data.imported).toBe(1);
    expect(await leadOf(ctx(), key, res)).toMatchObject({ email: 'mapped@b.example', firstName: 'Ann' });
    expectPrototypeUntouched();
  });

  it('keeps SQL in cells and query parameters as data', async () => {
    const { key } = await ctx().newWorkspace();
    const sql = "x'); DROP TABLE leads; --";
    const csv = toCsv([
      ['Email', 'Company', 'Notes', "Robert'); DROP TABLE custom_fields;--"],
      ["o'brien@b.example", sql, `' OR '1'='1`, '1; DELETE FROM leads'],
    ]);
    const res = await importCsv(ctx(), key, csv, { tag: "vip'; DROP TABLE tags; --" }).expect(200);
    const lead = await leadOf(ctx(), key, res);
    expect(lead).toMatchObject({
      email: "o'brien@b.example",
      companyName: sql,
      notes: `' OR '1'='1`,
      customFields: { "Robert'); DROP TABLE custom_fields;--": '1; DELETE FROM leads' },
      tags: ["vip'; DROP TABLE tags; --"],
    });
    const list = (query: Record<string, string>) => ctx().http().get('/v1/leads').query(query).set('X-Api-Key', key);
    expect((await list({ email: "O'Brien@b.example" }).expect(200)).body.data.leads).toHaveLength(1);
    expect((await list({ email: "' OR '1'='1" }).expect(200)).body.data.leads).toEqual([]);
    expect((await list({ tag: "x' OR 1=1 --" }).expect(200)).body.data.leads).toEqual([]);
    expect((await list({ tag: "vip'; DROP TABLE tags; --" }).expect(200)).body.data.leads).toHaveLength(1);
    for (const table of ['leads', 'tags', 'custom_fields']) {
      const count: Array<{ n: number | string }> = await ctx().dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
      expect(Number(count[0].n)).toBeGreaterThan(0);
    }
  });

  it('imports a file with 500 columns, each extra one a custom field (the default MAX_CUSTOM_FIELDS)', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const extra = Array.from({ length: 499 }, (_, i) => `Attribute ${i + 1}`);
    const rows = [0, 1, 2].map((r) => [`wide${r}@b.example`, ...extra.map((_, i) => `r${r}c${i}`)]);
    const res = await importCsv(ctx(), key, toCsv([['Email', ...extra], ...rows])).expect(200);
    expect(res.body.data).toMatchObject({ imported: 3, failed: 0, csvInfo: { totalRows: 3 } });
    expect(res.body.data.csvInfo.columns).toHaveLength(500);
    const lead = await leadOf(ctx(), key, res);
    expect(Object.keys(lead.customFields)).toHaveLength(499);
    expect(lead.customFields['Attribute 499']).toBe('r0c498');
    const fields: Array<{ n: number | string }> = await ctx().dataSource.query(
      'SELECT COUNT(*) AS n FROM custom_fields WHERE workspace_id = ?',
      [workspaceId],
    );
    expect(Number(fields[0].n)).toBe(499);
  });

  it('refuses a hand-made mapping over 64 KB, and imports the same wide file with its columns auto-detected', async () => {
    const { key } = await ctx().newWorkspace();
    const headers = Array.from(
      { length: 400 },
      (_, i) => `Vendor attribute ${String(i).padStart(4, '0')} ${'x'.repeat(150)}`,
    );
    const mapping = JSON.stringify(
      Object.fromEntries(headers.map((h, i) => [h, i === 0 ? 'email' : `custom:${h.slice(0, 30)}`])),
    );
    expect(Buffer.byteLength(mapping)).toBeGreaterThan(64 * 1024);
    const csv = toCsv([
      ['Email', ...headers],
      ['mapped-wide@b.example', ...headers.map((_, i) => `v${i}`)],
    ]);
    const refused = await importCsv(ctx(), key, csv, { mapping });
    expectError(refused, 400, 'VALIDATION_ERROR');
    expect(refused.body.error.message).toContain('"mapping" is too long (at most 64 KB)');
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(res.body.data.imported).toBe(1);
    expect(Object.keys((await leadOf(ctx(), key, res)).customFields)).toHaveLength(400);
  });

  it('cuts 500-character headers to the 255-character custom field limit and refuses longer names in a mapping', async () => {
    const { key } = await ctx().newWorkspace();
    const long = 'h'.repeat(500);
    const longToo = 'h'.repeat(499) + 'x'; // the same first 255 characters
    const turkish = 'İ'.repeat(300); // lower-cases to twice as many characters
    const csv = toCsv([
      ['Email', long, longToo, turkish],
      ['long@b.example', 'one', 'two', 'three'],
    ]);
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(res.body.data.csvInfo.columns).toEqual(['Email', long, longToo, turkish]);
    const cut = 'h'.repeat(255);
    const cutToo = 'h'.repeat(251) + ' (2)';
    expect(res.body.data.csvInfo.mapping).toEqual({
      Email: 'email',
      [long]: `custom:${cut}`,
      [longToo]: `custom:${cutToo}`,
      [turkish]: `custom:${'İ'.repeat(255)}`,
    });
    const lead = await leadOf(ctx(), key, res);
    expect(lead.customFields).toEqual({ [cut]: 'one', [cutToo]: 'two', ['İ'.repeat(255)]: 'three' });
    const fields = await ctx().http().get('/v1/custom-fields').set('X-Api-Key', key).expect(200);
    expect(fields.body.data.customFields.map((f: { name: string }) => f.name).sort()).toEqual(
      [cut, cutToo, 'İ'.repeat(255)].sort(),
    );

    const refused = await importCsv(ctx(), key, csv, { mapping: JSON.stringify({ [long]: `custom:${long}` }) });
    expectError(refused, 400, 'VALIDATION_ERROR');
    expect(refused.body.error.message).toContain('longer than 255 characters');
  });

  it('registers every custom field, also long names whose lower-case form is longer (İ → i̇)', async () => {
    const { key } = await ctx().newWorkspace();
    // 201 characters each, whose lower-case forms (401 characters) differ only in the last one.
    const names = ['İ'.repeat(200) + 'a', 'İ'.repeat(200) + 'b'];
    const res = await importCsv(
      ctx(),
      key,
      toCsv([
        ['Email', ...names],
        ['dotted@b.example', 'one', 'two'],
      ]),
    ).expect(200);
    expect((await leadOf(ctx(), key, res)).customFields).toEqual({ [names[0]]: 'one', [names[1]]: 'two' });
    const fields = await ctx().http().get('/v1/custom-fields').set('X-Api-Key', key).expect(200);
    expect(fields.body.data.customFields.map((f: { name: string }) => f.name).sort()).toEqual(names);
  });

  it('reads NUL bytes as data: cleanup removes them, without cleanup they are stored as given', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['Email', 'First Name', 'Company', 'Notes', 'Extra\u0000Field'],
      ['nul@b.example', 'Jo\u0000hn', 'Ac\u0000me', 'line\u0000one', 'x\u0000y'],
      ['bad\u0000@b.example', 'Ann', '', '', ''],
    ]);
    const cleaned = await importCsv(ctx(), key, csv).expect(200);
    expect(cleaned.body.data).toMatchObject({ imported: 1, failed: 1 });
    expect(cleaned.body.data.errors[0]).toMatchObject({ row: 2, error: 'Invalid email format' });
    expect(await leadOf(ctx(), key, cleaned)).toMatchObject({
      firstName: 'John',
      companyName: 'Acme',
      notes: 'lineone',
      customFields: { 'Extra\u0000Field': 'xy' },
    });

    const other = await ctx().newWorkspace();
    const raw = await importCsv(ctx(), other.key, csv, { dataCleanup: 'false' }).expect(200);
    expect(raw.body.data).toMatchObject({ imported: 1, failed: 1 });
    expect(await leadOf(ctx(), other.key, raw)).toMatchObject({
      firstName: 'Jo\u0000hn',
      companyName: 'Ac\u0000me',
      notes: 'line\u0000one',
      customFields: { 'Extra\u0000Field': 'x\u0000y' },
    });
  });

  it('stores formula-looking cells exactly as given', async () => {
    const { key } = await ctx().newWorkspace();
    const formulas = {
      companyName: '=1+1',
      jobTitle: '+49 30 1234567',
      notes: '-2+3',
      city: '@SUM(A1:A9)',
    };
    const link = '=HYPERLINK("http://evil.example","click")';
    const csv = toCsv([
      ['Email', 'Company', 'Title', 'Notes', 'City', 'Link'],
      ['formula@b.example', formulas.companyName, formulas.jobTitle, formulas.notes, formulas.city, link],
    ]);
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(await leadOf(ctx(), key, res)).toMatchObject({ ...formulas, customFields: { Link: link } });
  });

  it('round-trips emoji, right-to-left text and combining marks', async () => {
    const { key } = await ctx().newWorkspace();
    const header = ['Email', 'First Name', 'Last Name', 'Company', 'Notes', 'Emoji', 'Mark'];
    const cells = ['محمد', 'Jose\u0301', 'שלום בע״מ', 'Line 1 ✅\nسطر ٢ 🚀', '🚀 launch 👍🏽 🇩🇪', 'e\u0301'];
    const cleaned = await importCsv(ctx(), key, toCsv([header, ['unicode@b.example', ...cells]])).expect(200);
    // Cleanup composes to NFC; everything else comes back as sent.
    expect(await leadOf(ctx(), key, cleaned)).toMatchObject({
      firstName: 'محمد',
      lastName: 'José',
      companyName: 'שלום בע״מ',
      notes: 'Line 1 ✅\nسطر ٢ 🚀',
      customFields: { Emoji: '🚀 launch 👍🏽 🇩🇪', Mark: 'é' },
    });

    const other = await ctx().newWorkspace();
    const verbatim = [...cells.slice(0, 4), '👩‍💻 \u200Fעברית', 'e\u0301'];
    const raw = await importCsv(ctx(), other.key, toCsv([header, ['unicode@b.example', ...verbatim]]), {
      dataCleanup: 'false',
    }).expect(200);
    expect(await leadOf(ctx(), other.key, raw)).toMatchObject({
      firstName: 'محمد',
      lastName: 'Jose\u0301',
      companyName: 'שלום בע״מ',
      notes: 'Line 1 ✅\nسطر ٢ 🚀',
      customFields: { Emoji: '👩‍💻 \u200Fעברית', Mark: 'e\u0301' },
    });
  });

  it('answers 413 for a 60 MB single line and fails only the row of a 20 MB cell', async () => {
    const { key } = await ctx().newWorkspace();
    const line = Buffer.alloc(60 * 1024 * 1024, 'a');
    line.write('Email,');
    expectError(await importCsv(ctx(), key, line), 413, 'PAYLOAD_TOO_LARGE');
    await expectHealthy(ctx());

    const bigCell = Buffer.concat([
      Buffer.from('Email,Notes\nbig@b.example,"'),
      Buffer.alloc(20 * 1024 * 1024, 'x'),
      Buffer.from('"\nsmall@b.example,fine\n'),
    ]);
    const res = await importCsv(ctx(), key, bigCell).expect(200);
    expect(res.body.data).toMatchObject({ imported: 1, failed: 1, csvInfo: { totalRows: 2 } });
    expect(res.body.data.errors[0]).toMatchObject({ row: 1, email: 'big@b.example' });
    expect(res.body.data.errors[0].error).toContain('larger than 1 MB');
    expectCountsAddUp(res.body.data);
    await expectHealthy(ctx());
  });

  it('keeps failing rows with large values for the error file (more than MySQL takes in one statement)', async () => {
    const { key } = await ctx().newWorkspace();
    const note = 'n'.repeat(900 * 1024); // under the 1 MB value limit: the rows fail for their emails alone
    const failing = Array.from({ length: 25 }, (_, i) => `not-an-email-${i},${note}`);
    const csv = ['Email,Notes', ...failing, 'fine@b.example,short', ''].join('\n');
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(res.body.data).toMatchObject({ imported: 1, failed: 25 });
    const download = await errorFile(ctx(), key, res.body.data.importId).expect(200);
    expect(download.text.split(note)).toHaveLength(26);
    expect(download.text).toContain('not-an-email-24');
  });

  it('fails an update that would grow a lead past 4 MB of custom fields, and answers 400 to such a PATCH', async () => {
    const { key } = await ctx().newWorkspace();
    const value = 'v'.repeat(1_000_000);
    const fields = (round: number, count: number) =>
      Array.from({ length: count }, (_, i) => `Round ${round} field ${i}`);
    const first = await importCsv(
      ctx(),
      key,
      toCsv([
        ['Email', 'First Name', ...fields(0, 4)],
        ['grow@b.example', 'Ann', value, value, value, value],
      ]),
    ).expect(200);
    const lead = await leadOf(ctx(), key, first);
    expect(Object.keys(lead.customFields)).toEqual(fields(0, 4));

    // Each row fits 4 MB; merged over the lead's 4 MB, its custom fields would not (nor one MySQL statement).
    const csv = toCsv([
      ['Email', 'First Name', ...fields(1, 3)],
      ['grow@b.example', 'Annie', value, value, value],
    ]);
    const update = await importCsv(ctx(), key, csv, { skipDuplicates: 'false' }).expect(200);
    expect(update.body.data).toMatchObject({ imported: 0, updated: 0, skipped: 0, failed: 1 });
    expect(update.body.data.errors).toEqual([
      { row: 1, line: 2, email: 'grow@b.example', error: "The lead's custom fields would be larger than 4 MB" },
    ]);
    const after = await ctx().http().get(`/v1/leads/${lead.id}`).set('X-Api-Key', key).expect(200);
    expect(after.body.data).toMatchObject({ firstName: 'Ann', customFields: lead.customFields });
    const download = await errorFile(ctx(), key, update.body.data.importId).expect(200);
    expect(download.text).toContain('grow@b.example,Annie,');
    expect(download.text.split(value).length - 1).toBe(3);

    const patch = (name: string) =>
      ctx()
        .http()
        .patch(`/v1/leads/${lead.id}`)
        .set('X-Api-Key', key)
        .send({ customFields: { [name]: 'p'.repeat(100_000) } });
    await patch('Patched 1').expect(200);
    const tooLarge = await patch('Patched 2');
    expectError(tooLarge, 400, 'VALIDATION_ERROR');
    expect(tooLarge.body.error.message).toBe("customFields: the lead's custom fields would be larger than 4 MB.");
    await expectHealthy(ctx());
  });

  it('fails a row over 4 MB (more than a MySQL statement takes) and keeps its small values in the error file', async () => {
    const { key } = await ctx().newWorkspace();
    const value = 'v'.repeat(1_000_000);
    const header = ['Email', 'First Name', ...Array.from({ length: 18 }, (_, i) => `Column ${i}`)];
    const wide = (email: string) => [email, 'Wide', ...header.slice(2).map(() => value)];
    const csv = toCsv([header, wide('wide@b.example'), wide('not-an-email'), ['fine@b.example', 'Fine']]);
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(res.body.data).toMatchObject({ imported: 1, failed: 2 });
    expect(res.body.data.errors).toEqual([
      { row: 1, line: 2, email: 'wide@b.example', error: 'Row is larger than 4 MB' },
      { row: 2, line: 3, email: 'not-an-email', error: 'Row is larger than 4 MB' },
    ]);
    const download = await errorFile(ctx(), key, res.body.data.importId).expect(200);
    expect(download.text).toContain('wide@b.example,Wide,');
    expect(download.text.split(value).length - 1).toBe(2 * 4); // 4 values of each row fit in 4 MB with the rest
    await expectHealthy(ctx());
  });

  it('accepts a 100-character tag whose lower-case form is longer ("İ" → "i̇") and refuses 101 characters', async () => {
    const { key } = await ctx().newWorkspace();
    const tag = 'İ'.repeat(100);
    const res = await importCsv(ctx(), key, 'Email\ntag@b.example\n', { tag }).expect(200);
    expect((await leadOf(ctx(), key, res)).tags).toEqual([tag]);
    const tagged = await ctx().http().get('/v1/leads').query({ tag }).set('X-Api-Key', key).expect(200);
    expect(tagged.body.data.leads).toHaveLength(1);
    const long = await importCsv(ctx(), key, 'Email\ntag3@b.example\n', { tag: 'İ'.repeat(101) });
    expectError(long, 400, 'VALIDATION_ERROR');
    expect(long.body.error.message).toBe('tag must be at most 100 characters.');
  });

  it('leaves no multer temp files behind', () => {
    const created = [...multerTempFiles()].filter((name) => !tempFilesBefore.has(name));
    expect(created).toEqual([]);
    expectPrototypeUntouched();
  });
});
