import iconv from 'iconv-lite';
import { importCsv, toCsv } from './support/import';
import { describeEachDatabase, TestContext } from './support/test-app';

/** The same small contact file, with made-up names in the language each encoding is used for. */
function contacts(names: string[][]): string {
  return toCsv([
    ['Email', 'First Name', 'Last Name', 'Company', 'City'],
    ...names.map(([first, last, company, city], i) => [`p${i}@example.com`, first, last, company, city]),
  ]);
}

const FILES: Record<string, string> = {
  western: contacts([
    ['José', 'Müller', 'Société Générale', 'Zürich'],
    ['François', 'Dupré', 'Château Élysée', 'Besançon'],
    ['Ærø', "O'Brien", 'Größe GmbH', 'São Paulo'],
  ]),
  polish: contacts([
    ['Łukasz', 'Żółkiewski', 'Spółka Świat', 'Łódź'],
    ['Zofia', 'Wąsik', 'Gęś i Syn', 'Kraków'],
    ['Jiří', 'Dvořák', 'Černý a.s.', 'Plzeň'],
  ]),
  russian: contacts([
    ['Иван', 'Петров', 'Рога и копыта', 'Москва'],
    ['Ольга', 'Смирнова', 'Северсталь', 'Санкт-Петербург'],
  ]),
  japanese: contacts([
    ['太郎', '山田', '株式会社サンプル', '東京都'],
    ['花子', '佐藤', 'テスト商事', '大阪市'],
  ]),
  chinese: contacts([
    ['伟', '王', '示例科技有限公司', '北京'],
    ['芳', '李', '测试集团', '上海'],
  ]),
  greek: contacts([
    ['Γιώργος', 'Παπαδόπουλος', 'Εταιρεία ΑΕ', 'Αθήνα'],
    ['Ελένη', 'Νικολάου', 'Δοκιμή ΟΕ', 'Θεσσαλονίκη'],
  ]),
  germanDos: contacts([
    ['Jürgen', 'Müller', 'Bäckerei Größe', 'München'],
    ['Ömer', 'Çelik', 'Öl & Gas', 'Köln'],
  ]),
};

const SAVED_AS: Array<[encoding: string, file: string, bom: boolean]> = [
  ['utf-16le', 'western', true],
  ['utf-16be', 'western', true],
  ['utf-16le', 'japanese', false],
  ['windows-1252', 'western', false],
  ['windows-1250', 'polish', false],
  ['windows-1251', 'russian', false],
  ['shift_jis', 'japanese', false],
  ['gb18030', 'chinese', false],
  ['iso-8859-7', 'greek', false],
  ['cp850', 'germanDos', false],
];

const SAME_READING: Record<string, string[]> = {
  shift_jis: ['shift_jis', 'cp932'],
  'iso-8859-7': ['iso-8859-7', 'windows-1253'],
  cp850: ['cp850', 'cp437'],
};

describeEachDatabase('files in any encoding', (ctx) => {
  /** The workspace's leads after importing `file`, as the API shows them (ids and timestamps left out). */
  async function leadsAfter(context: TestContext, file: Buffer, fields: Record<string, string> = {}) {
    const { key } = await context.newWorkspace();
    const res = await importCsv(context, key, file, fields).expect(200);
    const leads = await context.http().get('/v1/leads?limit=200').set('X-Api-Key', key).expect(200);
    const stored = (leads.body.data.leads as Array<Record<string, unknown>>).map(
      ({ id: _id, createdAt: _c, updatedAt: _u, ...lead }) => lead,
    );
    return { csvInfo: res.body.data.csvInfo, leads: stored };
  }

  it.each(SAVED_AS)(
    'imports a contact file saved in %s (%s) value for value as its UTF-8 twin',
    async (encoding, name, bom) => {
      const text = FILES[name];
      const utf8 = await leadsAfter(ctx(), Buffer.from(text));
      const encoded = await leadsAfter(ctx(), iconv.encode(text, encoding, { addBOM: bom }));
      expect(encoded.leads).toEqual(utf8.leads);
      // A detector may name an encoding that reads these bytes the same (cp932 for Shift_JIS, cp437 for cp850).
      expect(SAME_READING[encoding] ?? [encoding]).toContain(encoded.csvInfo.encoding);
      expect(encoded.csvInfo.warnings).toEqual([]);
    },
  );

  it('reads a file as the encoding field says, and names a label it does not know', async () => {
    const file = iconv.encode(FILES.russian, 'koi8-r');
    const asked = await leadsAfter(ctx(), file, { encoding: 'KOI8-R' });
    expect(asked.csvInfo).toMatchObject({ encoding: 'koi8-r', encodingConfidence: 1 });
    expect(asked.leads).toEqual((await leadsAfter(ctx(), Buffer.from(FILES.russian))).leads);
    const { key } = await ctx().newWorkspace();
    const bad = await importCsv(ctx(), key, file, { encoding: 'klingon' }).expect(400);
    expect(bad.body.error.message).toContain('encoding');
  });

  it('says so when the text it guessed still holds unreadable characters', async () => {
    const { key } = await ctx().newWorkspace();
    // Windows-1251 text read as UTF-16 cannot be right: the reader must warn, never store silent mojibake.
    const res = await importCsv(ctx(), key, iconv.encode(FILES.russian, 'windows-1251'), { encoding: 'utf-16le' });
    if (res.status === 200) expect(res.body.data.csvInfo.warnings).toEqual([expect.stringContaining('encoding')]);
    else expect(res.status).toBe(400);
  });
});

describeEachDatabase('a header row below a preamble', (ctx) => {
  it("reads LinkedIn's Connections export: the notes above the header are not rows", async () => {
    const { key } = await ctx().newWorkspace();
    const csv =
      'Notes:\r\n' +
      '"When exporting your connection data, you may notice that some of the email addresses are missing. You will ' +
      'only see email addresses for connections who have allowed their connections to see or download their email ' +
      'address."\r\n' +
      '\r\n' +
      toCsv([
        ['First Name', 'Last Name', 'URL', 'Email Address', 'Company', 'Position', 'Connected On'],
        [
          'Ada',
          'Byron',
          'https://www.linkedin.com/in/ada-byron',
          'ada@example.com',
          'Engines Ltd',
          'CTO',
          '01 Dec 2026',
        ],
        ['Alan', 'Turing', 'https://www.linkedin.com/in/alan-turing', '', 'Bletchley', 'Lead', '02 Dec 2026'],
      ]);
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(res.body.data).toMatchObject({ imported: 1, failed: 1, csvInfo: { totalRows: 2, headerLine: 4 } });
    expect(res.body.data.errors).toEqual([{ row: 2, line: 6, email: '', error: 'Email is required' }]);
    expect(res.body.data.csvInfo.mapping).toMatchObject({ 'Email Address': 'email', URL: 'linkedinUrl' });
  });

  it('reads a report with title lines above the header, and fails a footer line as a row', async () => {
    const { key } = await ctx().newWorkspace();
    const csv =
      'Contacts report\nGenerated 2026-12-01 by Example CRM\n\n' +
      'Email,First Name,Last Name\nann@example.com,Ann,Lee\nbob@example.com,Bob,Ray\n' +
      'Confidential Information - Do Not Distribute\n';
    const res = await importCsv(ctx(), key, csv).expect(200);
    expect(res.body.data).toMatchObject({ imported: 2, failed: 1, csvInfo: { totalRows: 3, headerLine: 4 } });
    expect(res.body.data.errors[0]).toMatchObject({ row: 3, line: 7 });
  });
});

describeEachDatabase('phones without a country in their row', (ctx) => {
  async function phonesAfter(csv: string, fields: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const { key } = await ctx().newWorkspace();
    await importCsv(ctx(), key, csv, fields).expect(200);
    const res = await ctx().http().get('/v1/leads?limit=200').set('X-Api-Key', key).expect(200);
    const leads = res.body.data.leads as Array<{ email: string; phone: string | null }>;
    return Object.fromEntries(leads.map((lead) => [lead.email, lead.phone]));
  }

  it('are read in the defaultCountry given, else stay as written', async () => {
    const csv = toCsv([
      ['Email', 'Phone'],
      ['a@example.com', '030 1234567'],
    ]);
    expect(await phonesAfter(csv, { defaultCountry: 'de' })).toEqual({ 'a@example.com': '+49301234567' });
    expect(await phonesAfter(csv)).toEqual({ 'a@example.com': '030 1234567' });
  });

  it('are read in the country at least 80% of the rows name', async () => {
    const rows = Array.from({ length: 8 }, (_, i) => [`p${i}@example.com`, '030 1234567', 'Germany']);
    const csv = toCsv([['Email', 'Phone', 'Country'], ...rows, ['x@example.com', '030 7654321', '']]);
    expect((await phonesAfter(csv))['x@example.com']).toBe('+49307654321');
    const mixed = toCsv([
      ['Email', 'Phone', 'Country'],
      ...rows.slice(0, 3),
      ['y@example.com', '030 7654321', ''],
      ['z@example.com', '1', 'France'],
      ['w@example.com', '2', 'France'],
    ]);
    expect((await phonesAfter(mixed))['y@example.com']).toBe('030 7654321');
  });
});
