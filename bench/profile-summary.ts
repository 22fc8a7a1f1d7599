import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Prints the top self-time functions and packages of a V8 `.cpuprofile` (as written by `node --cpu-prof`, e.g. with
 * `BENCH_CPU_PROF=<dir> npm run bench`): `ts-node --transpile-only bench/profile-summary.ts <file> [top] [from-to]`.
 * A server's profile also holds its start and warm-up: `--timeline` prints the busy milliseconds of every 100 ms, where
 * the measured import shows as the last busy stretch, and `from-to` (milliseconds since the profile started, e.g.
 * `2050-3300`) keeps only the samples of that stretch.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Where a function lives: the npm package, or the file path relative to the project. */
function ownerOf(url: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (match) return match[1];
  // The bench runs the server from a snapshot of dist/ in a temp directory.
  const build = path.lastIndexOf('/dist/');
  return build >= 0 ? path.slice(build + 1) : relative(process.cwd(), path);
}

function label(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  return `${name}  ${ownerOf(frame.url)}:${frame.lineNumber + 1}`;
}

/** Each sample's time since the profile started, in ms. */
function sampleTimes(profile: CpuProfile): number[] {
  let micros = 0;
  return profile.timeDeltas.map((delta) => (micros += delta) / 1000);
}

/** Self time by function and by owner (package or file), largest first; only samples within `window` (ms) if given. */
export function summarise(
  profile: CpuProfile,
  window: { from: number; to: number } = { from: 0, to: Infinity },
): { functions: SelfTime[]; owners: SelfTime[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = sampleTimes(profile);
  const functions = new Map<string, number>();
  const owners = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (!node || micros <= 0 || times[index] < window.from || times[index] > window.to) return;
    total += micros;
    const fn = label(node.callFrame);
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
    const owner =
      node.callFrame.url === '' ? node.callFrame.functionName || '(native / V8)' : ownerOf(node.callFrame.url);
    owners.set(owner, (owners.get(owner) ?? 0) + micros);
  });
  const rank = (entries: Map<string, number>): SelfTime[] =>
    [...entries]
      .map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / total }))
      .sort((a, b) => b.ms - a.ms);
  return { functions: rank(functions), owners: rank(owners), totalMs: total / 1000 };
}

/** Milliseconds of samples that are not `(idle)`, per 100 ms of the profile. */
function timeline(profile: CpuProfile): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = sampleTimes(profile);
  const busy: number[] = [];
  profile.samples.forEach((id, index) => {
    const slot = Math.floor(times[index] / 100);
    busy[slot] ??= 0;
    if (byId.get(id)?.callFrame.functionName !== '(idle)') busy[slot] += (profile.timeDeltas[index] ?? 0) / 1000;
  });
  return busy.map((ms, slot) => `${String(slot * 100).padStart(7)} ms  ${'#'.repeat(Math.round((ms ?? 0) / 5))}`);
}

function print(title: string, rows: SelfTime[], top: number): void {
  console.log(title);
  for (const row of rows.slice(0, top)) {
    console.log(`${row.ms.toFixed(0).padStart(8)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`);
  }
  console.log('');
}

if (require.main === module) {
  const [file, topArg, windowArg] = process.argv.slice(2);
  if (!file) {
    console.error(
      'Usage: ts-node --transpile-only bench/profile-summary.ts <file.cpuprofile> [top | --timeline] [from-to]',
    );
    process.exit(1);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  if (topArg === '--timeline') {
    console.log(timeline(profile).join('\n'));
    process.exit(0);
  }
  const top = Number(topArg ?? 25);
  const [from, to] = (windowArg ?? '0-Infinity').split('-').map(Number);
  const summary = summarise(profile, { from, to });
  console.log(
    `${file}: ${(summary.totalMs / 1000).toFixed(1)} s of samples${windowArg ? ` from ${windowArg} ms` : ''}\n`,
  );
  print('Self time by function:', summary.functions, top);
  print('Self time by package / file:', summary.owners, 15);
}
