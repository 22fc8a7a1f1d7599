/**
 * `npm run load -- --async [--replicas N]`: the load run's files sent as async imports (202, then polled to
 * `completed`), spread round-robin over N server processes on one MariaDB and one Redis (BullMQ; LOAD_REDIS_URL,
 * default redis://127.0.0.1:6379/6). Reports throughput and the time from upload to `completed` (p50/p95), and checks
 * what the sync run checks: every report adds up, each workspace holds exactly its distinct valid emails.
 */
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportCounts } from '../test/support/async-files';
import { ServerProcess } from '../test/support/server-process';

export interface AsyncLoadFile {
  workspace: number;
  name: string;
  csv: Buffer;
  skipDuplicates: boolean;
}

interface Report extends ImportCounts {
  failureReason: string | null;
}

const POLL_MS = 250;
const TIMEOUT_MS = 600_000;

export async function runAsyncLoad(options: {
  url: string;
  replicas: number;
  files: AsyncLoadFile[];
  expected: number[];
  createWorkspace(url: string, name: string): Promise<{ id: string; key: string }>;
}): Promise<string[]> {
  const { url, files, expected } = options;
  const env = {
    REDIS_URL: process.env.LOAD_REDIS_URL || 'redis://127.0.0.1:6379/6',
    REDIS_KEY_PREFIX: `load-${randomBytes(4).toString('hex')}`,
    RATE_LIMIT_PER_MINUTE: '100000',
    IMPORT_RATE_LIMIT_PER_MINUTE: '100000',
    IMPORT_STALE_AFTER_MS: '60000',
  };
  const replicas: ServerProcess[] = [];
  for (let r = 0; r < options.replicas; r++) {
    replicas.push(await ServerProcess.start({ databaseUrl: url, apiKey: replicas[0]?.apiKey, env }));
  }
  const workspaces: Array<{ id: string; key: string }> = [];
  const count = Math.max(...files.map((file) => file.workspace)) + 1;
  for (let w = 0; w < count; w++) workspaces.push(await options.createWorkspace(url, `Load ${w}`));
  console.log(
    `${files.length} async imports across ${count} workspaces on ${replicas.length} replica(s) (BullMQ in ` +
      `${env.REDIS_URL}); sending them all at once…`,
  );

  const started = performance.now();
  const results = await Promise.all(
    files.map((file, i) => importAsync(replicas[i % replicas.length], workspaces[file.workspace].key, file)),
  );
  const wallMs = performance.now() - started;

  const problems: string[] = [];
  for (const { file, report, problem } of results) {
    if (!report) {
      problems.push(`${file.name}: ${problem}`);
      continue;
    }
    const { imported, updated, skipped, failed, totalRows } = report;
    if (report.status !== 'completed') problems.push(`${file.name}: ${report.status} ${report.failureReason}`);
    if (imported + updated + skipped + failed !== totalRows) {
      problems.push(`${file.name}: report does not add up: ${JSON.stringify(report)}`);
    }
  }
  const connection = await createConnection({ uri: url });
  try {
    for (let w = 0; w < count; w++) {
      const [rows] = await connection.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT email_key) AS d FROM leads WHERE workspace_id = ?',
        [workspaces[w].id],
      );
      const imported = results
        .filter((result) => result.file.workspace === w)
        .reduce((n, result) => n + (result.report?.imported ?? 0), 0);
      const stored = Number(rows[0].n);
      console.log(`w${w}: ${stored} leads (expected ${expected[w]}, reports imported ${imported})`);
      if (stored !== expected[w] || Number(rows[0].d) !== stored || imported !== stored) {
        problems.push(`workspace ${w}: ${stored} leads stored, ${imported} reported imported, ${expected[w]} expected`);
      }
    }
  } finally {
    await connection.end();
  }

  const rows = results.reduce((n, result) => n + (result.report?.totalRows ?? 0), 0);
  const toCompleted = results.map((result) => result.ms);
  const fmt = (ms: number) => `${Math.round(ms).toLocaleString('en')} ms`;
  const accepted = percentile(
    results.map((result) => result.acceptedMs),
    50,
  );
  const tooMany = results.reduce((n, result) => n + result.tooMany, 0);
  console.log(
    [
      `replicas: ${replicas.length}; 202 answers: p50 ${fmt(accepted)} (${tooMany} answers 429, retried after Retry-After)`,
      `upload to completed: p50 ${fmt(percentile(toCompleted, 50))}, p95 ${fmt(percentile(toCompleted, 95))}`,
      `wall ${fmt(wallMs)}, ${Math.round(rows / (wallMs / 1000)).toLocaleString('en')} rows/s`,
    ].join('\n'),
  );
  return problems;
}

/** Sends the file with async=true (retrying 429s after Retry-After), then polls its record until it ends. */
async function importAsync(server: ServerProcess, key: string, file: AsyncLoadFile) {
  const started = performance.now();
  let importId: string | undefined;
  let acceptedMs = 0;
  let tooMany = 0;
  while (!importId) {
    const form = new FormData();
    form.append('async', 'true');
    form.append('skipDuplicates', String(file.skipDuplicates));
    form.append('file', new Blob([file.csv], { type: 'text/csv' }), file.name);
    const response = await fetch(`${server.baseUrl}/v1/leads/import/csv`, {
      method: 'POST',
      headers: { 'X-Api-Key': key },
      body: form,
    });
    const body = (await response.json()) as { data?: { importId: string }; error?: { message: string } };
    if (response.status === 429) {
      tooMany++;
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    if (response.status !== 202 || !body.data) {
      return { file, ms: 0, acceptedMs, tooMany, problem: `${response.status} ${body.error?.message}` };
    }
    importId = body.data.importId;
    acceptedMs = performance.now() - started;
  }
  while (performance.now() - started < TIMEOUT_MS) {
    const response = await fetch(`${server.baseUrl}/v1/leads/imports/${importId}`, { headers: { 'X-Api-Key': key } });
    const report = ((await response.json()) as { data: Report }).data;
    if (!['queued', 'processing'].includes(report.status)) {
      return { file, ms: performance.now() - started, acceptedMs, tooMany, report };
    }
    await sleep(POLL_MS);
  }
  return { file, ms: performance.now() - started, acceptedMs, tooMany, problem: 'did not complete in time' };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
