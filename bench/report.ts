import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';

/** One line of the results table. */
export interface ResultRow {
  database: string;
  scenario: string;
  rows: number;
  /** Median wall ms over the repetitions. */
  wallMs: number;
  rowsPerSecond: number;
  /** The largest VmHWM of the repetitions (each on a freshly started server). */
  peakRssMb: number;
  /** wallMs / (parse floor + write floor) of the same file and database. */
  ratio: number;
  /** Check failures: wrong status, counts that do not add up. Empty when all is well. */
  problems: string[];
}

export interface FloorRow {
  database: string;
  file: string;
  parseMs: number;
  writeMs: number;
  normalizeMs: number;
}

export interface ProbeRow {
  database: string;
  maxMs: number;
  medianMs: number;
  count: number;
  failures: number;
}

export interface TargetRow {
  name: string;
  measured: string;
  met: boolean;
}

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  databases: string[];
  date: string;
  /** 1-minute load average at the start and the end of the run: other work on the machine makes timings noisy. */
  loadAverage: { start: number; end: number };
}

export interface Summary {
  machine: Machine;
  results: ResultRow[];
  floors: FloorRow[];
  probes: ProbeRow[];
  targets: TargetRow[];
  notes: string[];
  durationS: number;
  /** Repetitions per scenario and floor. */
  reps: number;
}

export function describeMachine(databaseVersions: string[], loadAtStart: number): Machine {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model.trim(),
    cores: cpus().length,
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    databases: databaseVersions,
    date: new Date().toISOString(),
    loadAverage: { start: loadAtStart, end: loadavg()[0] },
  };
}

const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';

function resultCells(row: ResultRow): string[] {
  return [
    row.database,
    row.problems.length > 0 ? `${row.scenario} (!)` : row.scenario,
    fmt(row.rows),
    fmt(row.wallMs),
    fmt(row.rowsPerSecond),
    fmt(row.peakRssMb),
    fmt(row.ratio, 2),
  ];
}

function resultHeaders(reps: number): string[] {
  return ['database', 'scenario', 'rows', `wall ms (median of ${reps})`, 'rows/s', 'server peak RSS MB', 'ratio'];
}

const FLOOR_HEADERS = [
  'database',
  'file',
  'parse floor ms',
  'write floor ms',
  'parse + write ms',
  'parse + normalise ms',
];
const RIGHT_ALIGNED = new Set([2, 3, 4, 5, 6]);

function floorCells(row: FloorRow): string[] {
  return [
    row.database,
    row.file,
    fmt(row.parseMs),
    fmt(row.writeMs),
    fmt(row.parseMs + row.writeMs),
    fmt(row.normalizeMs),
  ];
}

function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}

function markdownTable(headers: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${headers.map(escape).join(' | ')} |`,
    `| ${headers.map((_header, i) => (RIGHT_ALIGNED.has(i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

function probeLine(probe: ProbeRow): string {
  return (
    `${probe.database}: max ${fmt(probe.maxMs)} ms, median ${fmt(probe.medianMs)} ms over ${probe.count} probes` +
    (probe.failures > 0 ? `, ${probe.failures} not answered 200` : '')
  );
}

function targetLine(target: TargetRow): string {
  return `${target.met ? 'met ' : 'MISS'}  ${target.name}: ${target.measured}`;
}

export function renderText(summary: Summary): string {
  const problems = summary.results.flatMap((row) => row.problems.map((p) => `${row.database} ${row.scenario}: ${p}`));
  return [
    textTable(resultHeaders(summary.reps), summary.results.map(resultCells)),
    '',
    `Floors (median of ${summary.reps}; parse + normalise: one run; ratio = wall ms / (parse + write floor)):`,
    textTable(FLOOR_HEADERS, summary.floors.map(floorCells)),
    '',
    'Health probe (GET /health/ready every 200 ms during the fresh 12 MB imports; target < 200 ms):',
    ...summary.probes.map((probe) => `  ${probeLine(probe)}`),
    '',
    'Targets:',
    ...summary.targets.map((target) => `  ${targetLine(target)}`),
    ...(problems.length > 0 ? ['', 'Problems:', ...problems.map((p) => `  ${p}`)] : []),
    ...(summary.notes.length > 0 ? ['', 'Notes:', ...summary.notes.map((note) => `  ${note}`)] : []),
  ].join('\n');
}

export function renderMarkdown(summary: Summary): string {
  const { machine } = summary;
  const problems = summary.results.flatMap((row) => row.problems.map((p) => `${row.database} ${row.scenario}: ${p}`));
  return [
    `Run of ${machine.date.slice(0, 16).replace('T', ' ')} UTC, ${fmt(summary.durationS)} s in all.`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb} GB RAM; Node ${machine.node}; ` +
      `${machine.databases.join('; ')}; load average ${machine.loadAverage.start.toFixed(1)} at the start, ` +
      `${machine.loadAverage.end.toFixed(1)} at the end.`,
    '',
    markdownTable(resultHeaders(summary.reps), summary.results.map(resultCells)),
    '',
    `Floors (median of ${summary.reps}; parse + normalise: one run):`,
    '',
    markdownTable(FLOOR_HEADERS, summary.floors.map(floorCells)),
    '',
    'Health probe (`GET /health/ready` every 200 ms during the fresh 12 MB imports; target < 200 ms):',
    '',
    ...summary.probes.map((probe) => `- ${probeLine(probe)}`),
    '',
    'Targets:',
    '',
    ...summary.targets.map((target) => `- ${target.met ? '✅' : '❌'} ${target.name}: ${target.measured}`),
    ...(problems.length > 0 ? ['', 'Problems:', '', ...problems.map((p) => `- ${p}`)] : []),
    ...(summary.notes.length > 0 ? ['', 'Notes:', '', ...summary.notes.map((note) => `- ${note}`)] : []),
  ].join('\n');
}

export const DOC_START = '<!-- bench:start -->';
export const DOC_END = '<!-- bench:end -->';

const DOC_INTRO = `# Performance

\`npm run bench\` measures the CSV import (\`POST /v1/leads/import/csv\`) end to end. It generates two deterministic,
realistically messy lead files with \`bench/gen-leads.ts\` (50,000 rows of ~250 B ≈ 12 MB, and 50,000 rows of ~1 KB
≈ 48 MiB, just under the 50 MiB upload limit), starts the built server (\`node dist/src/main.js\`) on the embedded
SQLite and on MariaDB, and times real HTTP uploads, each scenario three times (the median is reported):

1. a fresh import of the 12 MB file into a new, empty workspace;
2. the same file again into the workspace just filled, with \`skipDuplicates=true\` (every row skipped);
3. again with \`skipDuplicates=false\` (every row updated);
4. a fresh import of the 50 MB file.

Every response is checked: status 200, \`imported + updated + skipped + failed = totalRows\`, and the exact counts the
app's own reader and normaliser predict for the file. Every repetition runs on a freshly started server, warmed up
with a small import first; its peak RSS is the kernel's high-water mark (\`VmHWM\` in \`/proc/<pid>/status\`) once the
import has answered, and the table shows the largest of the repetitions. A fresh server per repetition matters: a
server keeps much of an import's memory afterwards, so a second import on it would start from a higher base. (A 20 ms
poll of \`VmRSS\`, which can miss short peaks, is kept in the JSON as a cross-check.) During the fresh 12 MB imports
a probe sends \`GET /health/ready\` every 200 ms, each on a new connection, and the slowest answer is reported.

Each import is set against floors measured in the same run on the same file and database: (a) csv-parser alone over
the file; (b) the driver alone writing the same cleaned, de-duplicated rows into a scratch copy of \`leads\` (mysql2:
a pool of 10 connections, 1,000-row INSERTs, 10 in flight; better-sqlite3: prepared inserts in 1,000-row
transactions); and, for information, (c) the app's CsvReader + MappingDetector + Normalizer over every row.
\`ratio = import ms / (parse floor + write floor)\`.

Run it with \`npm run bench\` (under 10 minutes on 2 cores; results are slower and noisier when other work shares the
machine, and the report notes the load average). Settings:

- \`BENCH_MYSQL_URL\`: the MariaDB/MySQL database, default \`mysql://root@127.0.0.1:3306/leadport_bench\`. Its name
  must contain "bench": it is dropped and re-created at the start and dropped at the end. When the server does not
  answer, only SQLite runs, with a notice.
- \`BENCH_REPS\` (default 3) and \`BENCH_DATABASES\` (default \`sqlite,mariadb\`), for quicker runs while iterating.
- \`BENCH_BUDGET_S\` (default 470): past this many seconds, scenarios still to come run once (noted in the report), so
  the bench ends within 10 minutes even on a busy machine.
- \`BENCH_CPU_PROF=<dir>\`: the fresh 12 MB scenario's servers run under \`--cpu-prof\` (the main thread only: worker
  threads ended by the app write no profile); summarise a profile with
  \`npx ts-node --transpile-only bench/profile-summary.ts <file>.cpuprofile\`.

Raw results go to \`bench/results/<timestamp>.json\` with the server logs (not committed). Only full runs (both
databases, no profiling) rewrite the section below.

Targets: fresh 12 MB ratio ≤ 1.6 on MariaDB and SQLite; skip-mode re-import ≤ 1.0 s; update-mode ratio ≤ 2.0; 50 MB
ratio ≤ 2.0; server peak RSS ≤ 250 MB for the 12 MB file and ≤ 350 MB for the 50 MB one; health probe < 200 ms during an
import.
`;

/** Replaces only the text between the markers, so sections other engineers add survive every run. */
export function updatePerformanceDoc(path: string, markdown: string): void {
  const block = `${DOC_START}\n${markdown}\n${DOC_END}`;
  let doc = existsSync(path)
    ? readFileSync(path, 'utf8')
    : `${DOC_INTRO}\n## Latest results\n\n${DOC_START}\n${DOC_END}\n`;
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start >= 0 && end > start) {
    doc = doc.slice(0, start) + block + doc.slice(end + DOC_END.length);
  } else {
    doc = `${doc.trimEnd()}\n\n## Latest results\n\n${block}\n`;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, doc);
  formatMarkdown(path);
}

/** Keeps the generated doc as Prettier would write it, so `prettier --check .` stays green. */
function formatMarkdown(path: string): void {
  try {
    execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', path], {
      stdio: 'ignore',
    });
  } catch {
    // Formatting is a nicety; the content is what matters.
  }
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
