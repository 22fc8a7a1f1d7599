import csvParser from 'csv-parser';
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerProcess, stopAllServers } from '../test/support/server-process';
import { cleanFile, loadProviders } from './floors';
import { generateLeadsCsv } from './gen-leads';
import { hostileNeighbour, reportHostile } from './hostile';
import { runAsyncLoad } from './load-async';
import { Random } from './random';

/**
 * `npm run load`: 25 imports of 5,000-row files, fired at once across 5 workspaces whose files overlap (every lead
 * of a workspace is in two of its files), some skipping duplicates and some updating them, against the built server
 * on MariaDB with its default concurrency bounds (2 imports per workspace, 4 in all) and rate limits out of the way.
 * Every request must end in 200, after 429s retried once their Retry-After has passed; every report must add up;
 * each workspace must end with exactly its distinct valid emails. Then the "hostile neighbour" run (bench/hostile.ts);
 * `npm run load -- --hostile-only` runs that alone; `npm run load -- --async [--replicas 2]` sends the same files as
 * async imports to N replicas on one Redis (bench/load-async.ts). Exits non-zero on any failure.
 */

const DEFAULT_URL = 'mysql://root@127.0.0.1:3306/leadport_load';
const WORKSPACES = 5;
const FILES_PER_WORKSPACE = 5;
const ROWS_PER_FILE = 5_000;
/** Each workspace's leads: its files are overlapping windows of these rows (every row is in two files). */
const ROWS_PER_WORKSPACE = (FILES_PER_WORKSPACE * ROWS_PER_FILE) / 2;
const REQUEST_TIMEOUT_MS = 300_000;
const ROOT = join(__dirname, '..');

interface LoadFile {
  workspace: number;
  name: string;
  csv: Buffer;
  skipDuplicates: boolean;
}

interface Outcome {
  file: LoadFile;
  /** Latency of the attempt that got the final answer, and from the first attempt to that answer. */
  ms: number;
  totalMs: number;
  status: number | 'timeout' | 'network error';
  tooManyRequests: number;
  report?: { imported: number; updated: number; skipped: number; failed: number; totalRows: number };
  problem?: string;
}

/** Five overlapping 5,000-row files per workspace, cut from one realistic 12,500-row export (bench/gen-leads.ts). */
async function buildFiles(): Promise<{ files: LoadFile[]; expected: number[] }> {
  const files: LoadFile[] = [];
  const expected: number[] = [];
  const providers = loadProviders(join(ROOT, 'dist'));
  for (let workspace = 0; workspace < WORKSPACES; workspace++) {
    const base = generateLeadsCsv({ rows: ROWS_PER_WORKSPACE, size: 'small', seed: 7_000 + workspace });
    // What the workspace must hold: the distinct valid emails of the export, by the app's own reader and cleaner.
    expected.push((await cleanFile(providers, base.csv, 1)).leads.length);
    const { headers, rows } = await parseCsv(base.csv);
    const random = new Random(9_000 + workspace);
    for (let f = 0; f < FILES_PER_WORKSPACE; f++) {
      const start = f * (ROWS_PER_WORKSPACE / FILES_PER_WORKSPACE);
      const window = Array.from({ length: ROWS_PER_FILE }, (_, i) => rows[(start + i) % rows.length]);
      files.push({
        workspace,
        name: `w${workspace}-f${f}.csv`,
        csv: Buffer.from(toCsv([headers, ...shuffle(window, random)])),
        skipDuplicates: f % 2 === 0,
      });
    }
  }
  return { files, expected };
}

async function parseCsv(csv: Buffer): Promise<{ headers: string[]; rows: string[][] }> {
  let headers: string[] = [];
  const rows: string[][] = [];
  const parser = Readable.from([csv]).pipe(csvParser());
  parser.on('headers', (names: string[]) => (headers = names));
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    rows.push(headers.map((name) => record[name] ?? ''));
  }
  return { headers, rows };
}

function toCsv(rows: string[][]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function shuffle<T>(items: T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Sends one file until it gets an answer other than 429, waiting Retry-After seconds after each 429. */
async function importUntilDone(server: ServerProcess, key: string, file: LoadFile): Promise<Outcome> {
  const first = performance.now();
  let tooManyRequests = 0;
  for (;;) {
    const form = new FormData();
    form.append('skipDuplicates', String(file.skipDuplicates));
    form.append('file', new Blob([file.csv], { type: 'text/csv' }), file.name);
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${server.baseUrl}/v1/leads/import/csv`, {
        method: 'POST',
        headers: { 'X-Api-Key': key },
        body: form,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        file,
        ms: performance.now() - started,
        totalMs: performance.now() - first,
        status: timedOut ? 'timeout' : 'network error',
        tooManyRequests,
        problem: error instanceof Error ? error.message : String(error),
      };
    }
    const ms = performance.now() - started;
    if (response.status === 429) {
      tooManyRequests++;
      const retryAfter = Number(response.headers.get('retry-after'));
      if (!Number.isInteger(retryAfter) || retryAfter <= 0) {
        return {
          file,
          ms,
          totalMs: performance.now() - first,
          status: 429,
          tooManyRequests,
          problem: 'no Retry-After',
        };
      }
      await sleep(retryAfter * 1000);
      continue;
    }
    const outcome: Outcome = { file, ms, totalMs: performance.now() - first, status: response.status, tooManyRequests };
    const body = JSON.parse(text) as {
      data?: { imported: number; updated: number; skipped: number; failed: number; csvInfo: { totalRows: number } };
      error?: { code: string; message: string };
    };
    if (response.status !== 200 || !body.data) {
      return { ...outcome, problem: `${body.error?.code}: ${body.error?.message}` };
    }
    const { imported, updated, skipped, failed, csvInfo } = body.data;
    return { ...outcome, report: { imported, updated, skipped, failed, totalRows: csvInfo.totalRows } };
  }
}

/** `workspace:create` of the built CLI: its first line names the workspace id, its last line is the key. */
function createWorkspace(databaseUrl: string, name: string): Promise<{ id: string; key: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'workspace:create', name],
      { cwd: ROOT, env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, NODE_ENV: 'production' } },
      (error, stdout, stderr) => {
        const key = stdout.trim().split('\n').pop()?.trim() ?? '';
        const id = /id ([0-9a-f]{24})/.exec(stdout)?.[1];
        if (error || !id || !key.startsWith('sk_')) reject(new Error(`workspace:create failed: ${stderr || stdout}`));
        else resolve({ id, key });
      },
    );
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main(): Promise<boolean> {
  const url = process.env.LOAD_MYSQL_URL || DEFAULT_URL;
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  // The database is dropped at the end: refuse one that is not obviously this script's.
  if (!/^\w*load\w*$/i.test(database)) throw new Error(`LOAD_MYSQL_URL must name a database containing "load"`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/';
  const admin = await createConnection({ uri: adminUrl.toString() });
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  try {
    const { files, expected } = await buildFiles();
    if (process.argv.includes('--async')) {
      const replicas = Number(process.argv[process.argv.indexOf('--replicas') + 1]) || 1;
      const problems = await runAsyncLoad({ url, replicas, files, expected, createWorkspace });
      for (const problem of problems) console.log(`PROBLEM ${problem}`);
      console.log(problems.length === 0 ? 'PASS' : `FAIL (${problems.length} problems)`);
      return problems.length === 0;
    }
    const server = await ServerProcess.start({
      databaseUrl: url,
      env: { RATE_LIMIT_PER_MINUTE: '100000', IMPORT_RATE_LIMIT_PER_MINUTE: '100000', IMPORT_STALE_AFTER_MS: '60000' },
    });
    if (process.argv.includes('--hostile-only')) {
      const problems = reportHostile(await hostileNeighbour(server, url));
      for (const problem of problems) console.log(`PROBLEM ${problem}`);
      console.log(problems.length === 0 ? 'PASS' : `FAIL (${problems.length} problems)`);
      return problems.length === 0;
    }
    const workspaces: Array<{ id: string; key: string }> = [];
    for (let w = 0; w < WORKSPACES; w++) workspaces.push(await createWorkspace(url, `Load ${w}`));
    console.log(
      `${files.length} imports of ${ROWS_PER_FILE.toLocaleString('en')} rows across ${WORKSPACES} workspaces ` +
        `(server ${server.baseUrl}, database ${database}); firing them all at once…`,
    );

    const started = performance.now();
    const outcomes = await Promise.all(
      files.map((file) => importUntilDone(server, workspaces[file.workspace].key, file)),
    );
    const wallMs = performance.now() - started;

    const problems: string[] = [];
    for (const o of outcomes) {
      if (o.status !== 200 || !o.report) {
        problems.push(`${o.file.name}: ${o.status} ${o.problem ?? ''}`);
        continue;
      }
      const { imported, updated, skipped, failed, totalRows } = o.report;
      if (imported + updated + skipped + failed !== totalRows || totalRows !== ROWS_PER_FILE) {
        problems.push(`${o.file.name}: report does not add up: ${JSON.stringify(o.report)}`);
      }
      if (o.file.skipDuplicates && updated !== 0) {
        problems.push(`${o.file.name}: updated rows in skip mode: ${JSON.stringify(o.report)}`);
      }
    }
    const connection = await createConnection({ uri: url });
    const perWorkspace: string[] = [];
    try {
      for (let w = 0; w < WORKSPACES; w++) {
        const [rows] = await connection.query<RowDataPacket[]>(
          'SELECT COUNT(*) AS n, COUNT(DISTINCT email_key) AS d FROM leads WHERE workspace_id = ?',
          [workspaces[w].id],
        );
        const stored = Number(rows[0].n);
        const imported = outcomes
          .filter((o) => o.file.workspace === w)
          .reduce((n, o) => n + (o.report?.imported ?? 0), 0);
        perWorkspace.push(`w${w}: ${stored} leads (expected ${expected[w]}, reports imported ${imported})`);
        if (stored !== expected[w] || Number(rows[0].d) !== stored || imported !== stored) {
          problems.push(
            `workspace ${w}: ${stored} leads stored, ${imported} reported imported, ${expected[w]} expected`,
          );
        }
      }
      const [records] = await connection.query<RowDataPacket[]>(
        'SELECT status, COUNT(*) AS n FROM imports GROUP BY status',
      );
      const statuses = records.map((r) => `${String(r.status)} ${Number(r.n)}`).join(', ');
      if (records.length !== 1 || records[0].status !== 'completed' || Number(records[0].n) !== files.length) {
        problems.push(`import records: ${statuses}`);
      }
    } finally {
      await connection.end();
    }

    const answered = outcomes.filter((o) => o.status === 200);
    const rowsWritten = answered.reduce((n, o) => n + (o.report?.totalRows ?? 0), 0);
    const tooMany = outcomes.reduce((n, o) => n + o.tooManyRequests, 0);
    const fmt = (ms: number) => `${Math.round(ms).toLocaleString('en')} ms`;
    console.log(perWorkspace.join('\n'));
    console.log(
      [
        `requests: ${files.length} imports, ${answered.length} answered 200, ${tooMany} answers 429 (retried after Retry-After)`,
        `latency of the answering request: p50 ${fmt(
          percentile(
            answered.map((o) => o.ms),
            50,
          ),
        )}, ` +
          `p95 ${fmt(
            percentile(
              answered.map((o) => o.ms),
              95,
            ),
          )}`,
        `first attempt to answer (with 429 waits): p50 ${fmt(
          percentile(
            answered.map((o) => o.totalMs),
            50,
          ),
        )}, ` +
          `p95 ${fmt(
            percentile(
              answered.map((o) => o.totalMs),
              95,
            ),
          )}`,
        `wall ${fmt(wallMs)}, ${Math.round(rowsWritten / (wallMs / 1000)).toLocaleString('en')} rows/s`,
      ].join('\n'),
    );
    problems.push(...reportHostile(await hostileNeighbour(server, url)));
    for (const problem of problems) console.log(`PROBLEM ${problem}`);
    if (problems.length > 0) console.log(server.logs().split('\n').slice(-30).join('\n'));
    console.log(problems.length === 0 ? 'PASS' : `FAIL (${problems.length} problems)`);
    return problems.length === 0;
  } finally {
    await stopAllServers();
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  }
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    void stopAllServers().finally(() => process.exit(1));
  },
);
