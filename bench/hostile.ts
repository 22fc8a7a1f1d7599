import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { filePartHead, openRawUpload } from '../test/support/raw-upload';
import type { ServerProcess } from '../test/support/server-process';
import { generateLeadsCsv } from './gen-leads';

/**
 * The "hostile neighbour" run of `npm run load`: a victim workspace imports 5,000-row files one after another and
 * lists its imports, first alone (baseline), then while a hostile workspace with three keys keeps two 1 KB/s
 * uploads going (re-sent on every 408 or 429), sends imports with 60 KB mappings and 1 MB mappings in a loop, and
 * lists its own imports. What matters is the victim's latency: p95 alone vs p95 beside the neighbour.
 */

const ROOT = join(__dirname, '..');
const VICTIM_FILES = 12;
const ROWS = 5_000;

export interface HostileResult {
  baseline: Latencies;
  underAttack: Latencies;
  victimTooManyRequests: number;
  victimFailures: string[];
  hostile: Record<string, number>;
}

interface Latencies {
  importMs: number[];
  listMs: number[];
}

export async function hostileNeighbour(server: ServerProcess, databaseUrl: string): Promise<HostileResult> {
  const victim = await cliKey(databaseUrl, ['workspace:create', 'Victim']);
  const hostile = await cliKey(databaseUrl, ['workspace:create', 'Hostile']);
  const hostileKeys = [hostile.key];
  for (let i = 0; i < 2; i++)
    hostileKeys.push((await cliKey(databaseUrl, ['key:create', '--workspace', hostile.id])).key);
  const files = Array.from(
    { length: VICTIM_FILES * 2 + 1 },
    (_, i) => generateLeadsCsv({ rows: ROWS, size: 'small', seed: 31_000 + i }).csv,
  );
  const failures: string[] = [];
  let tooMany = 0;

  const runVictim = async (batch: Buffer[]): Promise<Latencies> => {
    const out: Latencies = { importMs: [], listMs: [] };
    for (const csv of batch) {
      for (;;) {
        const started = performance.now();
        const res = await postImport(server, victim.key, csv);
        if (res.status === 429) {
          tooMany++;
          await sleep(1000);
          continue;
        }
        out.importMs.push(performance.now() - started);
        if (res.status !== 200) failures.push(`victim import: ${res.status} ${res.text.slice(0, 200)}`);
        break;
      }
      const started = performance.now();
      const list = await fetch(`${server.baseUrl}/v1/leads/imports?limit=200`, {
        headers: { 'X-Api-Key': victim.key },
      });
      await list.text();
      out.listMs.push(performance.now() - started);
    }
    return out;
  };

  await runVictim(files.slice(0, 1)); // warm-up: the first import of a fresh server is slower
  const baseline = await runVictim(files.slice(1, VICTIM_FILES + 1));

  const counts: Record<string, number> = {};
  const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);
  let attacking = true;
  const slowLoop = async (key: string) => {
    while (attacking) {
      const status = await slowUpload(server, key, () => attacking);
      count(`slow upload ${status}`);
      if (status === 429) await sleep(500);
    }
  };
  const mappingLoop = async (key: string) => {
    const small = hugeMapping(60 * 1024);
    const huge = hugeMapping(1024 * 1024);
    const csv = Buffer.from('Email,Name\r\nneighbour@hostile.example,N\r\n');
    while (attacking) {
      for (const mapping of [small, huge]) {
        const res = await postImport(server, key, csv, mapping);
        count(`${mapping.length > 64 * 1024 ? '1 MB' : '60 KB'} mapping ${res.status}`);
        const list = await fetch(`${server.baseUrl}/v1/leads/imports?limit=200`, { headers: { 'X-Api-Key': key } });
        await list.text();
        count(`hostile list ${list.status}`);
      }
    }
  };
  const attack = [slowLoop(hostileKeys[0]), slowLoop(hostileKeys[1]), mappingLoop(hostileKeys[2])];
  await sleep(2000); // the slow uploads hold their slots before the victim starts
  const underAttack = await runVictim(files.slice(VICTIM_FILES + 1));
  attacking = false;
  await Promise.all(attack);
  return { baseline, underAttack, victimTooManyRequests: tooMany, victimFailures: failures, hostile: counts };
}

/** A mapping of about `bytes` bytes, none of whose keys names a column. */
function hugeMapping(bytes: number): string {
  const entries: string[] = ['"Email":"email"'];
  for (let i = 0, size = 20; size < bytes; i++) {
    const entry = `"Not a column ${i} ${'x'.repeat(40)}":"skip"`;
    entries.push(entry);
    size += entry.length + 1;
  }
  return `{${entries.join(',')}}`;
}

async function postImport(
  server: ServerProcess,
  key: string,
  csv: Buffer,
  mapping?: string,
): Promise<{ status: number; text: string }> {
  const form = new FormData();
  if (mapping) form.append('mapping', mapping);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
  const res = await fetch(`${server.baseUrl}/v1/leads/import/csv`, {
    method: 'POST',
    headers: { 'X-Api-Key': key },
    body: form,
  });
  return { status: res.status, text: await res.text() };
}

/** One upload declaring 10 MB and sending 1 KB a second until the server answers; resolves with its status. */
function slowUpload(server: ServerProcess, key: string, keepGoing: () => boolean): Promise<number | 'closed'> {
  const { hostname, port } = new URL(server.baseUrl);
  const boundary = 'hostileneighbour';
  return new Promise((resolve) => {
    const request = openRawUpload({ host: hostname, port, key, boundary, contentLength: 10 * 1024 * 1024 });
    const timer = setInterval(() => {
      if (!keepGoing()) request.destroy();
      else request.write('slow@hostile.example\n'.repeat(52).slice(0, 1024));
    }, 1000);
    const done = (status: number | 'closed') => {
      clearInterval(timer);
      request.destroy();
      resolve(status);
    };
    request.on('response', (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    request.on('error', () => done('closed'));
    request.on('close', () => done('closed'));
    request.write(`${filePartHead(boundary, 'slow.csv')}Email\n`);
  });
}

/** Runs the built CLI; its first line names the workspace (or key) id, its last line is the key. */
function cliKey(databaseUrl: string, args: string[]): Promise<{ id: string; key: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'cli', 'main.js'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, NODE_ENV: 'production' } },
      (error, stdout, stderr) => {
        const key = stdout.trim().split('\n').pop()?.trim() ?? '';
        const id = /id ([0-9a-f]{24})/.exec(stdout)?.[1];
        if (error || !id || !key.startsWith('sk_')) reject(new Error(`${args[0]} failed: ${stderr || stdout}`));
        else resolve({ id, key });
      },
    );
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Prints the run; returns its problems (a victim request that did not end 200). */
export function reportHostile(result: HostileResult): string[] {
  const ms = (values: number[], p: number) => `${Math.round(percentile(values, p)).toLocaleString('en')} ms`;
  const line = (label: string, latencies: Latencies) =>
    `${label}: import p50 ${ms(latencies.importMs, 50)}, p95 ${ms(latencies.importMs, 95)}; ` +
    `list p50 ${ms(latencies.listMs, 50)}, p95 ${ms(latencies.listMs, 95)}`;
  console.log(
    `hostile neighbour: victim imports ${VICTIM_FILES} files of ${ROWS.toLocaleString('en')} rows, one at a time`,
  );
  console.log(line('  victim alone        ', result.baseline));
  console.log(line('  victim beside attack', result.underAttack));
  console.log(`  victim 429s: ${result.victimTooManyRequests}`);
  console.log(
    `  hostile requests: ${Object.entries(result.hostile)
      .map(([what, n]) => `${what} ×${n}`)
      .join(', ')}`,
  );
  return result.victimFailures;
}
