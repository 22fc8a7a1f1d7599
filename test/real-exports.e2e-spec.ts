import { expectCountsAddUp, importCsv, toCsv } from './support/import';
import { describeEachDatabase, TestContext } from './support/test-app';

/**
 * Issue 14, sections 3 and 4: files shaped like real CRM, mail-client and sales-tool exports (built here, with
 * made-up people), imported over HTTP and read back.
 */

type StoredLead = Record<string, unknown> & { customFields: Record<string, string> };

interface ImportReport {
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  importedLeadIds: string[];
  csvInfo: { totalRows: number; mapping: Record<string, string> };
}

/** Imports `csv` and returns the report's data and the created leads, in file order. */
async function importAndRead(
  ctx: TestContext,
  key: string,
  csv: string,
  fields: Record<string, string> = {},
): Promise<{ data: ImportReport; leads: StoredLead[] }> {
  const res = await importCsv(ctx, key, csv, fields).expect(200);
  const data = res.body.data as ImportReport;
  expectCountsAddUp(data);
  const leads: StoredLead[] = [];
  for (const id of data.importedLeadIds) {
    leads.push((await ctx.http().get(`/v1/leads/${id}`).set('X-Api-Key', key).expect(200)).body.data);
  }
  return { data, leads };
}

/** The lead's value of a standard field, `null` when it has none. */
const valueOf = (lead: StoredLead, field: string): unknown => lead[field] ?? null;

describeEachDatabase('real exports: columns chosen by their data', (ctx) => {
  it('takes the filled column of a field over an empty one with a better name', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['First Name', 'Last Name', 'Email', 'Work Direct Phone', 'First Phone', 'Ort', 'Ort geschäftlich'],
      ['Ann', 'Lee', 'ann@example.com', '', '+49 30 1234567', '', 'Berlin'],
      ['Bo', 'Ek', 'bo@example.com', '', '+49 40 7654321', '', 'Hamburg'],
    ]);
    const { data, leads } = await importAndRead(ctx(), key, csv);
    expect(data.csvInfo.mapping).toMatchObject({
      'Work Direct Phone': 'custom:Work Direct Phone',
      'First Phone': 'phone',
      Ort: 'custom:Ort',
      'Ort geschäftlich': 'city',
    });
    expect(leads.map((lead) => [lead.phone, lead.city])).toEqual([
      ['+49301234567', 'Berlin'],
      ['+49407654321', 'Hamburg'],
    ]);
  });

  it("reads a German Outlook export: business columns over private ones, the person's over the company's", async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      [
        'Anrede',
        'Vorname',
        'Nachname',
        'Firma',
        'Position',
        'Ort geschäftlich',
        'Land/Region geschäftlich',
        'Ort privat',
        'Telefon Firma',
        'Telefon geschäftlich',
        'Telefon privat',
        'E-Mail-Adresse',
        'E-Mail: Angezeigter Name',
        'Ort',
      ],
      [
        'Herr',
        'Jürgen',
        'Müller',
        'Beispiel GmbH',
        'Einkauf',
        'München',
        'Deutschland',
        'Dachau',
        '+49 89 1000000',
        '+49 89 1234567',
        '+49 8131 765432',
        'juergen@beispiel.example',
        'Jürgen Müller (juergen@beispiel.example)',
        '',
      ],
    ]);
    const { data, leads } = await importAndRead(ctx(), key, csv);
    expect(data.csvInfo.mapping).toMatchObject({
      Vorname: 'firstName',
      Nachname: 'lastName',
      Firma: 'companyName',
      Position: 'jobTitle',
      'Ort geschäftlich': 'city',
      'Land/Region geschäftlich': 'country',
      'Telefon geschäftlich': 'phone',
      'E-Mail-Adresse': 'email',
      'Telefon Firma': 'custom:Telefon Firma',
      'Ort privat': 'custom:Ort privat',
    });
    expect(leads[0]).toMatchObject({
      email: 'juergen@beispiel.example',
      firstName: 'Jürgen',
      lastName: 'Müller',
      companyName: 'Beispiel GmbH',
      jobTitle: 'Einkauf',
      city: 'München',
      country: 'Deutschland',
      phone: '+49891234567',
    });
  });

  it.each([
    [
      'French',
      ['Prénom', 'Nom', 'Société', 'Fonction', 'Ville (bureau)', 'Pays/Région (bureau)', 'Adresse de messagerie'],
      ['Élodie', 'Durand', 'Exemple SA', 'Acheteuse', 'Lyon', 'France', 'elodie@exemple.example'],
    ],
    [
      'Spanish',
      [
        'Nombre',
        'Apellidos',
        'Organización',
        'Puesto',
        'Ciudad de trabajo',
        'País o región del trabajo',
        'Dirección de correo electrónico',
      ],
      ['Lucía', 'García López', 'Ejemplo SL', 'Compras', 'Sevilla', 'España', 'lucia@ejemplo.example'],
    ],
    [
      'Russian',
      [
        'Имя',
        'Фамилия',
        'Организация',
        'Должность',
        'Город (раб. адрес)',
        'Страна или регион (раб. адрес)',
        'Адрес эл. почты',
      ],
      ['Иван', 'Петров', 'Пример', 'Закупщик', 'Москва', 'Россия', 'ivan@primer.example'],
    ],
    [
      'Japanese',
      ['名', '姓', '会社名', '役職', '勤務先 市区町村', '勤務先 国/地域', '電子メール アドレス'],
      ['太郎', '山田', '株式会社サンプル', '部長', '東京都', '日本', 'taro@sample.example'],
    ],
  ])('reads localized Outlook headers: %s', async (_language, header, row) => {
    const { key } = await ctx().newWorkspace();
    const { data, leads } = await importAndRead(ctx(), key, toCsv([header, row]));
    const fields = ['firstName', 'lastName', 'companyName', 'jobTitle', 'city', 'country', 'email'];
    expect(Object.values(data.csvInfo.mapping)).toEqual(fields);
    expect(fields.map((field) => leads[0][field])).toEqual(row);
  });

  it("passes over an owner's column with one address in every row, and the associated company's city", async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['Email', 'Contact Owner', 'Lead Email', 'Full Name', 'City', 'Associated Company City'],
      ['rep@vendor.example', 'Rita Rep', 'ann@example.com', 'Ann Lee', '', 'Paris'],
      ['rep@vendor.example', 'Rita Rep', 'bo@example.com', 'Bo Ek', 'Lyon', 'Nice'],
      ['rep@vendor.example', 'Rita Rep', 'cy@example.com', 'Cy Ng', '', 'Lille'],
    ]);
    const { data, leads } = await importAndRead(ctx(), key, csv);
    expect(data).toMatchObject({ imported: 3, skipped: 0, failed: 0 });
    expect(data.csvInfo.mapping).toMatchObject({
      Email: 'custom:Email',
      'Contact Owner': 'custom:Contact Owner',
      'Lead Email': 'email',
      City: 'city',
      'Associated Company City': 'custom:Associated Company City',
    });
    expect(leads.map((lead) => [lead.email, valueOf(lead, 'city')])).toEqual([
      ['ann@example.com', null],
      ['bo@example.com', 'Lyon'],
      ['cy@example.com', null],
    ]);
  });
});

describeEachDatabase('real exports: values that are not data', (ctx) => {
  it('stores placeholders as blanks: no name, phone or custom value of "N/A", "null", "-"…', async () => {
    const { key } = await ctx().newWorkspace();
    const placeholders = [
      'null',
      'NULL',
      'None',
      'N/A',
      'n/a',
      '-',
      'Unknown',
      '[not provided]',
      'undefined',
      '0.0.00',
      '000',
    ];
    const csv = toCsv([
      ['Email', 'First Name', 'Last Name', 'Company', 'Phone', 'City', 'Industry'],
      ...placeholders.map((value, i) => [`p${i}@example.com`, value, value, value, value, value, value]),
    ]);
    const { data, leads } = await importAndRead(ctx(), key, csv);
    expect(data.imported).toBe(placeholders.length);
    for (const lead of leads) {
      for (const field of ['firstName', 'lastName', 'companyName', 'phone', 'city']) {
        expect([lead.email, field, valueOf(lead, field)]).toEqual([lead.email, field, null]);
      }
      expect(lead.customFields).toEqual({});
    }
  });

  it('drops phones of fewer than 5 digits, addresses in names and protection apostrophes', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['Email', 'First Name', 'Last Name', 'Phone', 'Score', 'City'],
      ['ann@example.com', 'ann@example.com', 'Lee', '123', "'-5", "'s-Hertogenbosch"],
      ['bo@example.com', 'Bo', 'Ek <bo@example.com>', "'+61 412 345 678", "'=1+1", 'Perth'],
    ]);
    const { leads } = await importAndRead(ctx(), key, csv);
    expect(leads.map((lead) => [valueOf(lead, 'firstName'), lead.lastName, valueOf(lead, 'phone'), lead.city])).toEqual(
      [
        [null, 'Lee', null, "'s-Hertogenbosch"],
        ['Bo', 'Ek', '+61412345678', 'Perth'],
      ],
    );
    expect(leads.map((lead) => lead.customFields.Score)).toEqual(['-5', '=1+1']);
  });

  it('keeps placeholders and apostrophes as written with cleanup off', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['Email', 'First Name', 'Phone'],
      ['ann@example.com', 'N/A', "'+61 412 345 678"],
    ]);
    const { leads } = await importAndRead(ctx(), key, csv, { dataCleanup: 'false' });
    expect(leads[0]).toMatchObject({ firstName: 'N/A', phone: "'+61 412 345 678" });
  });

  it('stores countries in one form and time zones by their IANA names', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['Email', 'Country', 'Time Zone'],
      ['a@example.com', 'de', 'europe/berlin'],
      ['b@example.com', 'UNITED STATES', 'US/Pacific'],
      ['c@example.com', 'Deutschland', 'Asia/Calcutta'],
      ['d@example.com', 'N/A', 'PST'],
    ]);
    const { leads } = await importAndRead(ctx(), key, csv);
    expect(leads.map((lead) => [valueOf(lead, 'country'), lead.timezone])).toEqual([
      ['DE', 'Europe/Berlin'],
      ['United States', 'America/Los_Angeles'],
      ['Deutschland', 'Asia/Kolkata'],
      [null, 'PST'],
    ]);
  });

  it('fills a blank first or last name from the full-name column, row by row', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([
      ['Email', 'First Name', 'Last Name', 'Display Name'],
      ['ann@example.com', 'Ann', 'Lee', 'Annie Lee'],
      ['bo@example.com', '', '', 'Bo Ek'],
      ['cy@example.com', 'Cy', '', 'Cy van der Berg'],
      ['di@example.com', 'N/A', 'N/A', 'Di Ho'],
    ]);
    const { data, leads } = await importAndRead(ctx(), key, csv);
    expect(data.csvInfo.mapping).toMatchObject({ 'Display Name': 'fullName' });
    expect(leads.map((lead) => [lead.firstName, lead.lastName])).toEqual([
      ['Ann', 'Lee'],
      ['Bo', 'Ek'],
      ['Cy', 'van der Berg'],
      ['Di', 'Ho'],
    ]);
  });

  it('accepts the encoding and defaultCountry fields, and refuses bad values with a 400 that names the field', async () => {
    const { key } = await ctx().newWorkspace();
    const csv = toCsv([['Email'], ['ann@example.com']]);
    await importCsv(ctx(), key, csv, { encoding: 'utf-8', defaultCountry: 'de' }).expect(200);
    const badEncoding = await importCsv(ctx(), key, csv, { encoding: 'klingon' }).expect(400);
    expect(badEncoding.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/^encoding "klingon" is not a known encoding/),
    });
    const badCountry = await importCsv(ctx(), key, csv, { defaultCountry: 'Germany' }).expect(400);
    expect(badCountry.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/^defaultCountry must be an ISO 3166-1 alpha-2 country code/),
    });
  });
});
