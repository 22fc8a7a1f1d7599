/**
 * `npm run test:browser`: a person's first import through Swagger UI, in Debian's Chromium driven by playwright-core.
 * Starts the built server on a temporary SQLite database, authorizes with a fresh key, imports a 5-row file with one
 * invalid email through "Try it out", reads the shown response, lists the leads, and saves screenshots under
 * test-results/. Fails on any console error or any request to a host other than 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { buildServer, ServerProcess, stopAllServers } from '../support/server-process';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const RESULTS = join(__dirname, '..', '..', 'test-results');
const TIMEOUT_MS = 30_000;

const CSV = [
  'Email,First Name,Last Name,Company,Title',
  'ada@example.com,Ada,Lovelace,Analytical Engines,Mathematician',
  'grace@example.com,Grace,Hopper,Navy,Rear Admiral',
  'not-an-email,Bad,Row,Nowhere,None',
  'alan@example.com,Alan,Turing,Bletchley Park,Cryptanalyst',
  'katherine@example.com,Katherine,Johnson,NASA,Mathematician',
].join('\n');

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`Check failed: ${what}`);
}

/** Opens an operation in Swagger UI, presses "Try it out", and returns its block. */
async function openOperation(page: Page, tag: string, operationId: string): Promise<Locator> {
  const block = page.locator(`#operations-${tag}-${operationId}`);
  await block.locator('.opblock-summary').first().click();
  await block.getByRole('button', { name: 'Try it out' }).click();
  return block;
}

/** Presses Execute and returns the status and parsed JSON body Swagger UI shows for the live response. */
async function execute(block: Locator): Promise<{ status: number; body: Record<string, unknown> }> {
  await block.getByRole('button', { name: 'Execute' }).click();
  const live = block.locator('.live-responses-table .response').first();
  await live.waitFor({ timeout: TIMEOUT_MS });
  const status = Number((await live.locator('.response-col_status').innerText()).trim());
  const text = await live.locator('.response-col_description pre').first().innerText();
  return { status, body: JSON.parse(text) as Record<string, unknown> };
}

async function run(context: BrowserContext, server: ServerProcess, problems: string[]): Promise<void> {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

  await page.goto(`${server.baseUrl}/docs`);
  await page.locator('.swagger-ui .information-container').waitFor();

  // Authorize with the key in the X-Api-Key scheme only: the description says either one is enough.
  await page.locator('.auth-wrapper .authorize').click();
  const dialog = page.locator('.dialog-ux .modal-ux');
  await dialog.locator('input').first().fill(server.apiKey);
  await dialog.locator('.auth-btn-wrapper button.authorize').first().click();
  await dialog.locator('.auth-btn-wrapper button.btn-done').first().click();

  const importOp = await openOperation(page, 'import', 'ImportController_importCsv');
  const mapping = importOp.locator('tr[data-property-name="mapping"] input[type="text"]');
  await mapping.waitFor(); // fails the test if the form never shows the field
  check(
    (await mapping.first().inputValue()) === '',
    `the mapping field starts empty (holds ${JSON.stringify(await mapping.first().inputValue())})`,
  );
  await importOp
    .locator('input[type="file"]')
    .setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  const imported = await execute(importOp);
  // Swagger UI shows the request it sent as a curl command: the file, and no value the person did not type (it sends
  // untouched fields empty, which the service reads as "not given").
  const curl = await importOp.locator('.curl-command').innerText();
  check(/-F 'file=@leads\.csv;type=text\/csv'/.test(curl), `the file is sent: ${curl}`);
  for (const field of ['mapping', 'skipDuplicates', 'dataCleanup', 'tag']) {
    check(!new RegExp(`-F '${field}=[^']`).test(curl), `no ${field} value is sent that nobody typed: ${curl}`);
  }
  await importOp.locator('.live-responses-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(RESULTS, 'swagger-import-response.png'), fullPage: false });
  check(imported.status === 200, `the import answers 200 (got ${imported.status}: ${JSON.stringify(imported.body)})`);
  const data = imported.body.data as {
    imported: number;
    failed: number;
    skipped: number;
    errors: Array<{ row: number; email: string; error: string }>;
    csvInfo: { totalRows: number; unusedMapping: string[] };
  };
  check(
    data.imported === 4 && data.failed === 1 && data.skipped === 0,
    `4 imported, 1 failed: ${JSON.stringify(data)}`,
  );
  check(data.csvInfo.totalRows === 5, 'totalRows is 5');
  check(
    data.errors.length === 1 &&
      data.errors[0].row === 3 &&
      data.errors[0].email === 'not-an-email' &&
      data.errors[0].error === 'Invalid email format',
    `the error row is row 3, "not-an-email": ${JSON.stringify(data.errors)}`,
  );
  check(data.csvInfo.unusedMapping.length === 0, 'no mapping was sent that nobody typed');

  const listOp = await openOperation(page, 'leads', 'LeadsController_list');
  const listed = await execute(listOp);
  await listOp.locator('.live-responses-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(RESULTS, 'swagger-leads-list.png'), fullPage: false });
  check(listed.status === 200, `GET /v1/leads answers 200 (got ${listed.status})`);
  const leads = (listed.body.data as { leads: Array<{ email: string }> }).leads.map((l) => l.email).sort();
  const expected = ['ada@example.com', 'alan@example.com', 'grace@example.com', 'katherine@example.com'];
  check(JSON.stringify(leads) === JSON.stringify(expected), `the four leads are listed: ${JSON.stringify(leads)}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  buildServer();
  const scratch = mkdtempSync(join(tmpdir(), 'leadport-browser-'));
  const problems: string[] = [];
  const server = await ServerProcess.start({ databaseUrl: `sqlite:${join(scratch, 'leadport.sqlite')}` });
  const context = await chromium.launchPersistentContext(join(scratch, 'chromium-profile'), {
    executablePath: CHROMIUM,
    args: LAUNCH_ARGS,
    headless: true,
    viewport: { width: 1280, height: 1000 },
  });
  // Every request the browser makes, from any page, must stay on this machine's loopback address.
  context.on('request', (request) => {
    const { hostname, protocol } = new URL(request.url());
    if (protocol !== 'data:' && protocol !== 'blob:' && hostname !== '127.0.0.1') {
      problems.push(`request outside 127.0.0.1: ${request.method()} ${request.url()}`);
    }
  });
  let failure: unknown;
  try {
    await run(context, server, problems);
  } catch (error) {
    failure = error;
  } finally {
    await context.close();
    await stopAllServers();
    rmSync(scratch, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failure !== undefined || problems.length > 0) {
    if (failure !== undefined) console.error(failure instanceof Error ? (failure.stack ?? failure.message) : failure);
    for (const problem of problems) console.error(problem);
    console.log(`Swagger UI import end to end failed in ${seconds} s (screenshots in test-results/)`);
    console.log('browser: 0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`Swagger UI import end to end passed in ${seconds} s (screenshots in test-results/)`);
  console.log('browser: 1 passed, 0 failed');
}

void main();
