import type { Response, Test } from 'supertest';
import { TestContext } from './test-app';

export interface ImportFields {
  mapping?: string;
  skipDuplicates?: string;
  dataCleanup?: string;
  tag?: string;
  encoding?: string;
  defaultCountry?: string;
  dryRun?: string;
  rejectRoleAddresses?: string;
  rejectDisposable?: string;
  async?: string;
  webhookUrl?: string;
}

/** POSTs a CSV (text or bytes) to the import endpoint as multipart/form-data. */
export function importCsv(
  ctx: TestContext,
  key: string,
  csv: string | Buffer,
  fields: ImportFields = {},
  filename = 'leads.csv',
): Test {
  let req = ctx.http().post('/v1/leads/import/csv').set('X-Api-Key', key);
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) req = req.field(name, value);
  return req.attach('file', typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv, {
    filename,
    contentType: 'text/csv',
  });
}

/** GETs an import's error file (`errors.csv`) with this key. */
export function errorFile(ctx: TestContext, key: string, importId: string): Test {
  return ctx.http().get(`/v1/leads/imports/${importId}/errors.csv`).set('X-Api-Key', key);
}

/** RFC 4180 CSV text from rows of cells. */
export function toCsv(rows: string[][], lineEnd = '\r\n', delimiter = ','): string {
  const quote = (cell: string) =>
    /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
  return rows.map((row) => row.map(quote).join(delimiter)).join(lineEnd) + lineEnd;
}

/** imported + updated + skipped + failed must equal totalRows in every report. */
export function expectCountsAddUp(data: {
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  csvInfo: { totalRows: number };
}): void {
  expect(data.imported + data.updated + data.skipped + data.failed).toBe(data.csvInfo.totalRows);
}

/** The error envelope: this status, this code, and some message. */
export function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { success: false, error: { code, message: expect.any(String) } },
  });
}

/** A CSV of `rows` distinct, valid leads (`<prefix><i>@<domain>`), each row about 200 bytes. */
export function uniqueLeadsCsv(rows: number, domain: string, prefix = 'lead'): string {
  const note = 'Met at the spring conference; asked for pricing of the enterprise plan and a follow-up in Q3.';
  return toCsv([
    ['Email', 'First Name', 'Last Name', 'Company', 'Title', 'Phone', 'City', 'Country', 'Notes', 'Industry'],
    ...Array.from({ length: rows }, (_, i) => [
      `${prefix}${i}@${domain}`,
      `First${i}`,
      `Last${i}`,
      `Company ${i % 997} Inc.`,
      'Head of Sales',
      `+1 415 555 ${String(i % 10_000).padStart(4, '0')}`,
      'San Francisco',
      'United States',
      note,
      'Software',
    ]),
  ]);
}
