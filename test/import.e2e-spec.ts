import { ApiKeyService } from '../src/auth/api-key.service';
import { expectCountsAddUp, importCsv, toCsv } from './support/import';
import { describeEachDatabase } from './support/test-app';

const SPEC_HEADER = ['Email', 'First Name', 'Last Name', 'Company', 'Title', 'Industry'];

describeEachDatabase('POST /v1/leads/import/csv', (ctx) => {
  it("reproduces the spec's example: 200 rows → 180 imported, 15 skipped, 5 failed", async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    for (let i = 0; i < 10; i++) await ctx().newLead(workspaceId, { email: `existing${i}@acme.com` });
    const rows: string[][] = [];
    for (let i = 0; i < 180; i++) rows.push([`lead${i}@acme.com`, 'Jane', `Doe`, 'Acme', 'CTO', 'Software']);
    for (let i = 0; i < 10; i++) rows.push([`EXISTING${i}@acme.com`, 'X', 'Y', 'Acme', 'CEO', 'Retail']);
    for (let i = 0; i < 5; i++) rows.push([` Lead${i}@ACME.com `, 'Dup', 'Row', 'Acme', 'VP', 'Retail']);
    rows.push(['not-an-email', 'Bad', 'Row', 'Acme', 'CTO', 'Software']);
    for (let i = 0; i < 4; i++) rows.push([`broken${i}@`, 'Bad', 'Row', 'Acme', 'CTO', 'Software']);

    const res = await importCsv(ctx(), key, toCsv([SPEC_HEADER, ...rows])).expect(200);
    const data = res.body.data;
    expect(res.body.success).toBe(true);
    expect(data).toMatchObject({ imported: 180, updated: 0, skipped: 15, failed: 5 });
    expect(data.importedLeadIds).toHaveLength(180);
    expect(data.errors).toHaveLength(5);
    expect(data.errors[0]).toEqual({ row: 196, line: 197, email: 'not-an-email', error: 'Invalid email format' });
    expect(data.csvInfo).toMatchObject({
      totalRows: 200,
      columns: SPEC_HEADER,
      mapping: {
        Email: 'email',
        'First Name': 'firstName',
        'Last Name': 'lastName',
        Company: 'companyName',
        Title: 'jobTitle',
        Industry: 'custom:Industry',
      },
      delimiter: ',',
      encoding: 'utf-8',
    });
    expectCountsAddUp(data);

    const lead = await ctx().http().get(`/v1/leads/${data.importedLeadIds[7]}`).set('X-Api-Key', key).expect(200);
    expect(lead.body.data).toMatchObject({
      email: 'lead7@acme.com',
      firstName: 'Jane',
      lastName: 'Doe',
      companyName: 'Acme',
      jobTitle: 'CTO',
      customFields: { Industry: 'Software' },
    });
    const record = await ctx().http().get(`/v1/leads/imports/${data.importId}`).set('X-Api-Key', key).expect(200);
    expect(record.body.data).toMatchObject({
      status: 'completed',
      imported: 180,
      skipped: 15,
      failed: 5,
      totalRows: 200,
    });
    expect(record.body.data.errors).toEqual(data.errors);
  });
});

describeEachDatabase('POST /v1/leads/import/csv: request errors', (ctx) => {
  const expectError = (body: unknown, message: string) =>
    expect(body).toEqual({ success: false, error: { code: 'VALIDATION_ERROR', message } });

  it('answers the five spec errors word for word', async () => {
    const { key } = await ctx().newWorkspace();
    const noFile = await ctx().http().post('/v1/leads/import/csv').set('X-Api-Key', key).field('tag', 'x').expect(400);
    expectError(noFile.body, 'CSV file is required. Send as multipart/form-data with field name "file".');
    const notMultipart = await ctx()
      .http()
      .post('/v1/leads/import/csv')
      .set('X-Api-Key', key)
      .send({ file: 'a' })
      .expect(400);
    expectError(notMultipart.body, 'CSV file is required. Send as multipart/form-data with field name "file".');

    for (const empty of ['', '\uFEFF', 'Email,First Name\r\n', '  \n\n']) {
      expectError((await importCsv(ctx(), key, empty).expect(400)).body, 'CSV file is empty');
    }
    expectError(
      (await importCsv(ctx(), key, 'Name,Company\nJane,Acme\n').expect(400)).body,
      'No email column detected. Provide a "mapping" field or ensure your CSV has an "email" column.',
    );
    for (const mapping of ['{not json', '[1,2]', 'null', '"email"']) {
      expectError(
        (await importCsv(ctx(), key, 'Email\na@b.com\n', { mapping }).expect(400)).body,
        'Invalid mapping JSON',
      );
    }
  });

  it('rejects more than 50,000 rows and writes nothing', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const rows = Array.from({ length: 50_001 }, (_, i) => `user${i}@example.com,Jane`);
    const res = await importCsv(ctx(), key, `Email,First Name\n${rows.join('\n')}\n`).expect(400);
    expectError(res.body, 'Maximum 50,000 leads per CSV file');
    const count: Array<{ n: number | string }> = await ctx().dataSource.query(
      'SELECT COUNT(*) AS n FROM leads WHERE workspace_id = ?',
      [workspaceId],
    );
    expect(Number(count[0].n)).toBe(0);
    const imports = await ctx().http().get('/v1/leads/imports').set('X-Api-Key', key).expect(200);
    expect(imports.body.data.imports).toEqual([]);
  });

  it('answers 413 for a file over 50 MB and stays healthy', async () => {
    const { key } = await ctx().newWorkspace();
    const big = Buffer.alloc(50 * 1024 * 1024 + 10, 'a');
    big.write('Email\n');
    const res = await importCsv(ctx(), key, big).expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.error.message).toContain('50 MB');
    await ctx().http().get('/health/ready').expect(200);
  });

  it('accepts true/false/1/0/yes/no in any case and names a bad boolean field', async () => {
    const { key } = await ctx().newWorkspace();
    for (const value of ['TRUE', 'no', '1', ' Yes ', '0', 'False']) {
      await importCsv(ctx(), key, 'Email\na@b.com\n', { skipDuplicates: value, dataCleanup: value }).expect(200);
    }
    const bad = await importCsv(ctx(), key, 'Email\na@b.com\n', { skipDuplicates: 'maybe' }).expect(400);
    expectError(bad.body, 'skipDuplicates must be true or false (1/0 and yes/no are accepted too).');
    const bad2 = await importCsv(ctx(), key, 'Email\na@b.com\n', { dataCleanup: 'on' }).expect(400);
    expect(bad2.body.error.message).toContain('dataCleanup');
  });

  it('rejects unknown mapping targets, unknown form fields, long tags, two files and binary files', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = 'Email,Mail Me\na@b.com,x\n';
    const unknownField = await importCsv(ctx(), key, csv, { mapping: '{"Email":"emial"}' }).expect(400);
    expect(unknownField.body.error.message).toContain('Unknown lead field "emial"');
    const nonString = await importCsv(ctx(), key, csv, { mapping: '{"Email":5}' }).expect(400);
    expect(nonString.body.error.message).toContain('"Email"');
    const typo = await ctx()
      .http()
      .post('/v1/leads/import/csv')
      .set('X-Api-Key', key)
      .field('skipDuplicate', 'false')
      .attach('file', Buffer.from(csv), 'a.csv')
      .expect(400);
    expect(typo.body.error.message).toContain('Unknown form field "skipDuplicate"');
    const longTag = await importCsv(ctx(), key, csv, { tag: 't'.repeat(101) }).expect(400);
    expectError(longTag.body, 'tag must be at most 100 characters.');
    const twoFiles = await ctx()
      .http()
      .post('/v1/leads/import/csv')
      .set('X-Api-Key', key)
      .attach('file', Buffer.from(csv), 'a.csv')
      .attach('file', Buffer.from(csv), 'b.csv')
      .expect(400);
    expect(twoFiles.body.error.message).toContain('exactly one');
    const wrongName = await ctx()
      .http()
      .post('/v1/leads/import/csv')
      .set('X-Api-Key', key)
      .attach('upload', Buffer.from(csv), 'a.csv')
      .expect(400);
    expect(wrongName.body.error.message).toContain('"upload"');
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]);
    const xlsx = await importCsv(ctx(), key, zip, {}, 'leads.xlsx').expect(400);
    expect(xlsx.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('reads the key before the body: a bad key gets 401 for an upload', async () => {
    const res = await importCsv(ctx(), 'sk_' + 'x'.repeat(32), 'Email\na@b.com\n').expect(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });
});

describeEachDatabase('POST /v1/leads/import/csv: duplicates, updates, tags, custom fields', (ctx) => {
  it('updates existing leads with skipDuplicates=false: non-empty cells overwrite, blanks keep, custom fields merge', async () => {
    const { key } = await ctx().newWorkspace();
    const first = toCsv([
      ['Email', 'First Name', 'Last Name', 'Phone', 'Industry', 'Size'],
      ['jane@acme.com', 'Jane', 'Doe', '+49 30 1234567', 'Software', '50'],
    ]);
    const created = await importCsv(ctx(), key, first).expect(200);
    const id = created.body.data.importedLeadIds[0];

    const second = toCsv([
      ['Email', 'First Name', 'Last Name', 'Phone', 'Industry', 'Segment'],
      ['JANE@acme.com', 'Janet', '', '', 'Fintech', 'EMEA'],
    ]);
    const skipped = await importCsv(ctx(), key, second).expect(200);
    expect(skipped.body.data).toMatchObject({ imported: 0, updated: 0, skipped: 1, failed: 0 });
    const before = (await ctx().http().get(`/v1/leads/${id}`).set('X-Api-Key', key)).body.data;
    expect(before.firstName).toBe('Jane');

    const updated = await importCsv(ctx(), key, second, { skipDuplicates: 'false' }).expect(200);
    expect(updated.body.data).toMatchObject({ imported: 0, updated: 1, skipped: 0, failed: 0, importedLeadIds: [] });
    const lead = (await ctx().http().get(`/v1/leads/${id}`).set('X-Api-Key', key)).body.data;
    expect(lead).toMatchObject({
      email: 'jane@acme.com',
      firstName: 'Janet',
      lastName: 'Doe',
      phone: '+49301234567',
      customFields: { Industry: 'Fintech', Size: '50', Segment: 'EMEA' },
    });
    expect(lead.createdAt).toBe(before.createdAt);
    expect(new Date(lead.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(before.updatedAt).getTime());
  });

  it('keeps the first row of an email in a file and skips the rest, also with cleanup off', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['Email', 'First Name'],
      ['  Ann@X.io', 'First'],
      ['ann@x.io', 'Second'],
      ['ANN@X.IO  ', 'Third'],
    ]);
    const res = await importCsv(ctx(), key, csv, { dataCleanup: 'false' }).expect(200);
    expect(res.body.data).toMatchObject({ imported: 1, skipped: 2, failed: 0 });
    const lead = (await ctx().http().get(`/v1/leads/${res.body.data.importedLeadIds[0]}`).set('X-Api-Key', key)).body
      .data;
    expect(lead.email).toBe('  Ann@X.io');
    expect(lead.firstName).toBe('First');
    const again = await importCsv(ctx(), key, toCsv([['Email'], ['ann@x.io']])).expect(200);
    expect(again.body.data).toMatchObject({ imported: 0, skipped: 1 });
  });

  it('fails rows with a value over its limit, lists errors in row order, and skips known emails uncleaned', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    await ctx().newLead(workspaceId, { email: 'known@x.io' });
    const long = 'T'.repeat(501);
    const csv = toCsv([
      ['Email', 'Title'],
      ['long@x.io', long],
      ['bad-email', 'CTO'],
      ['known@x.io', long],
      ['fine@x.io', 'CTO'],
    ]);
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(res.body.data).toMatchObject({ imported: 1, skipped: 1, failed: 2 });
    expect(res.body.data.errors).toEqual([
      { row: 1, line: 2, email: 'long@x.io', error: 'jobTitle is too long (501 characters; the limit is 500)' },
      { row: 2, line: 3, email: 'bad-email', error: 'Invalid email format' },
    ]);
    expectCountsAddUp(res.body.data);
    const update = await importCsv(ctx(), key, csv, { skipDuplicates: 'false' }).expect(200);
    expect(update.body.data).toMatchObject({ imported: 0, updated: 1, skipped: 0, failed: 3 });
    expect(update.body.data.errors.map((e: { row: number }) => e.row)).toEqual([1, 2, 3]);
  });

  it('tags imported and updated leads but not skipped ones, creating the tag once', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    const old = await ctx().newLead(workspaceId, { email: 'old@x.io' });
    await importCsv(ctx(), key, toCsv([['Email'], ['old@x.io'], ['new@x.io']]), { tag: 'Webinar' }).expect(200);
    const tagged = await ctx().http().get('/v1/leads?tag=webinar').set('X-Api-Key', key).expect(200);
    expect(tagged.body.data.leads.map((l: { email: string }) => l.email)).toEqual(['new@x.io']);

    await importCsv(ctx(), key, toCsv([['Email'], ['old@x.io']]), { tag: 'webinar', skipDuplicates: 'no' }).expect(200);
    const after = await ctx().http().get('/v1/leads?tag=Webinar').set('X-Api-Key', key).expect(200);
    expect(after.body.data.leads.map((l: { email: string }) => l.email).sort()).toEqual(['new@x.io', 'old@x.io']);
    expect((await ctx().http().get(`/v1/leads/${old.id}`).set('X-Api-Key', key)).body.data.tags).toEqual(['Webinar']);
    const tags: Array<{ n: number | string }> = await ctx().dataSource.query(
      'SELECT COUNT(*) AS n FROM tags WHERE workspace_id = ?',
      [workspaceId],
    );
    expect(Number(tags[0].n)).toBe(1);
  });

  it('registers custom fields once, matching existing names case-insensitively', async () => {
    const { key } = await ctx().newWorkspace();
    await importCsv(
      ctx(),
      key,
      toCsv([
        ['Email', 'Industry', 'Empty'],
        ['a@x.io', 'Retail', ''],
      ]),
    ).expect(200);
    const res = await importCsv(
      ctx(),
      key,
      toCsv([
        ['Email', 'INDUSTRY', 'Lead Source'],
        ['b@x.io', 'Food', 'Fair'],
      ]),
    );
    expect(res.status).toBe(200);
    const fields = await ctx().http().get('/v1/custom-fields').set('X-Api-Key', key).expect(200);
    expect(fields.body.data.customFields.map((f: { name: string }) => f.name)).toEqual(['Industry', 'Lead Source']);
    const b = (await ctx().http().get('/v1/leads?email=b@x.io').set('X-Api-Key', key)).body.data.leads[0];
    expect(b.customFields).toEqual({ Industry: 'Food', 'Lead Source': 'Fair' });
  });

  it('reads a column named just "URL" as the LinkedIn profile only when its values are LinkedIn links', async () => {
    const { key } = await ctx().newWorkspace();
    const connections = await importCsv(
      ctx(),
      key,
      toCsv([
        ['First Name', 'Last Name', 'URL', 'Email Address', 'Company', 'Position', 'Connected On'],
        ['Jane', 'Doe', 'https://www.linkedin.com/in/janedoe', 'jane@x.io', 'Acme', 'CTO', '01 Jan 2026'],
      ]),
    ).expect(200);
    expect(connections.body.data.csvInfo.mapping.URL).toBe('linkedinUrl');
    const other = await importCsv(
      ctx(),
      key,
      toCsv([
        ['Email', 'URL'],
        ['joe@x.io', 'https://app.example-crm.com/contacts/51'],
      ]),
    ).expect(200);
    expect(other.body.data.csvInfo.mapping.URL).toBe('custom:URL');

    const leads = (await ctx().http().get('/v1/leads').set('X-Api-Key', key)).body.data.leads;
    const byEmail = new Map(leads.map((lead: { email: string }) => [lead.email, lead]));
    expect(byEmail.get('jane@x.io')).toMatchObject({ linkedinUrl: 'https://www.linkedin.com/in/janedoe' });
    expect(byEmail.get('joe@x.io')).toMatchObject({
      linkedinUrl: null,
      customFields: { URL: 'https://app.example-crm.com/contacts/51' },
    });
  });

  it('never creates a duplicate when two overlapping imports run at once', async () => {
    const { key, workspaceId } = await ctx().newWorkspace();
    // Two keys of the workspace: one key runs one import at a time (IMPORT_MAX_CONCURRENT_PER_KEY).
    const { key: secondKey } = await ctx().app.get(ApiKeyService).createKey({ workspaceId });
    const emails = Array.from({ length: 3000 }, (_, i) => `person${i}@overlap.io`);
    const a = toCsv([['Email'], ...emails.slice(0, 2000).map((e) => [e])]);
    const b = toCsv([
      ['Email'],
      ...emails
        .slice(1000)
        .reverse()
        .map((e) => [e]),
    ]);
    const [ra, rb] = await Promise.all([
      importCsv(ctx(), key, a, { skipDuplicates: 'false' }),
      importCsv(ctx(), secondKey, b, { skipDuplicates: 'false' }),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    for (const r of [ra, rb]) expectCountsAddUp(r.body.data);
    expect(ra.body.data.imported + rb.body.data.imported).toBe(3000);
    expect(ra.body.data.updated + rb.body.data.updated).toBe(1000);
    const count: Array<{ n: number | string }> = await ctx().dataSource.query(
      'SELECT COUNT(*) AS n FROM leads WHERE workspace_id = ?',
      [workspaceId],
    );
    expect(Number(count[0].n)).toBe(3000);
  });

  it('imports into the key’s workspace only', async () => {
    const a = await ctx().newWorkspace();
    const b = await ctx().newWorkspace();
    await ctx().newLead(b.workspaceId, { email: 'shared@x.io', firstName: 'B' });
    const res = await importCsv(
      ctx(),
      a.key,
      toCsv([
        ['Email', 'First Name'],
        ['shared@x.io', 'Ann'],
      ]),
    ).expect(200);
    expect(res.body.data.imported).toBe(1);
    const inB = (await ctx().http().get('/v1/leads?email=shared@x.io').set('X-Api-Key', b.key)).body.data.leads;
    expect(inB.map((l: { firstName: string }) => l.firstName)).toEqual(['B']);
    await ctx().http().get(`/v1/leads/imports/${res.body.data.importId}`).set('X-Api-Key', b.key).expect(404);
  });
});

describeEachDatabase('POST /v1/leads/import/csv: files read and cleaned in a worker thread', (ctx) => {
  const rowsOf = (count: number, name: string) =>
    Array.from({ length: count }, (_, i) => [`p${i}@x.io`, `${name} ${i}`, '', '', '', '']);

  it('reports a file that cannot be imported with the reader’s own 400', async () => {
    const { key } = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, '"Email,Name\r\na@x.io,Ann\r\n').expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(res.body.error.message).toContain('The header row cannot be read: Unclosed quote');
    const mapped = await importCsv(ctx(), key, toCsv([['Name'], ['Ann']])).expect(400);
    expect(mapped.body.error.message).toContain('No email column detected');
  });

  it('skips, updates and counts across batches', async () => {
    const { key } = await ctx().newWorkspace();
    const first = await importCsv(ctx(), key, toCsv([SPEC_HEADER, ...rowsOf(1500, 'First')])).expect(200);
    expect(first.body.data).toMatchObject({ imported: 1500, skipped: 0, failed: 0 });
    const rows = [...rowsOf(2500, 'Second'), ['bad@', 'x', '', '', '', ''], ['p1@x.io', 'Again', '', '', '', '']];
    const skip = await importCsv(ctx(), key, toCsv([SPEC_HEADER, ...rows])).expect(200);
    expect(skip.body.data).toMatchObject({ imported: 1000, updated: 0, skipped: 1501, failed: 1 });
    expectCountsAddUp(skip.body.data);
    const update = await importCsv(ctx(), key, toCsv([SPEC_HEADER, ...rows]), { skipDuplicates: 'false' });
    expect(update.body.data).toMatchObject({ imported: 0, updated: 2500, skipped: 1, failed: 1 });
    const lead = (await ctx().http().get('/v1/leads?email=p1@x.io').set('X-Api-Key', key)).body.data.leads[0];
    expect(lead.firstName).toBe('Second');
  });

  it('keeps a header named __proto__ as plain data', async () => {
    const { key } = await ctx().newWorkspace();
    const res = await importCsv(
      ctx(),
      key,
      toCsv([
        ['Email', '__proto__'],
        ['a@x.io', 'v'],
      ]),
    ).expect(200);
    expect(Object.getOwnPropertyNames(res.body.data.csvInfo.mapping)).toEqual(['Email', '__proto__']);
    const lead = (await ctx().http().get('/v1/leads?email=a@x.io').set('X-Api-Key', key)).body.data.leads[0];
    expect(Object.getOwnPropertyNames(lead.customFields)).toEqual(['__proto__']);
  });

  it('cleans a whole row: aliases, full name, phone, LinkedIn URL and a custom field', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['E-mail Address', 'Full Name', 'Mobile Phone', 'Country', 'Person Linkedin Url', 'Industry'],
      [' Jane.Doe@ACME.com ', 'jane doe', '(030) 1234567', 'Germany', 'de.linkedin.com/in/janedoe/?trk=x', ' Retail '],
      ['bad@', 'x', '', '', '', ''],
      ['T@x.io', 'Tom', '', '', '', 'x'.repeat(10)],
    ]);
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(res.body.data).toMatchObject({ imported: 2, failed: 1, skipped: 0 });
    const lead = (await ctx().http().get('/v1/leads?email=jane.doe@acme.com').set('X-Api-Key', key)).body.data.leads[0];
    expect(lead).toMatchObject({
      email: 'jane.doe@acme.com',
      firstName: 'Jane',
      lastName: 'Doe',
      phone: '+49301234567',
      linkedinUrl: 'https://www.linkedin.com/in/janedoe',
      customFields: { Industry: 'Retail' },
    });
  });
});
