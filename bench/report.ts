import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { LeadFileSize } from './gen-leads';
import type { BenchBuild } from './server';

/** One line of the results table: one scenario of one build on one database. */
export interface ResultRow {
  side: BenchBuild['side'];
  database: string;
  scenario: string;
  size: LeadFileSize;
  rows: number;
  /** Median wall ms over the repetitions. */
  wallMs: number;
  /** Each repetition's wall ms, in run order. */
  runsMs: number[];
  rowsPerSecond: number;
  /** The largest VmHWM of the repetitions (each on a freshly started server). */
  peakRssMb: number;
  /** wallMs / (parse floor + clean floor + write floor) of the same file and database. */
  ratio: number;
  /** Parse floor + write floor: the skip-mode target is 0.8 × this. */
  parseWriteMs: number;
  /** The slowest `GET /health/ready` during the scenario's imports. */
  healthMaxMs: number;
  /** The server's longest event-loop delay during the scenario's imports (NaN for a build without /metrics). */
  eventLoopMaxMs: number;
  /** Median CPU ms of the server's main thread, its other threads and the database server (NaN: not measured). */
  cpu: { mainMs: number; otherThreadsMs: number; databaseMs: number; machineMs: number };
  /** parse + clean + write floor of the same file and database: the ratio's divisor. */
  floorsMs: number;
  /** Check failures: wrong status, counts that do not add up. Empty when all is well. */
  problems: string[];
  /** `skippedReasons.suppressed` of the first repetition's response, if the build reports it. */
  suppressed?: number;
}

export interface FloorRow {
  database: string;
  file: string;
  parseMs: number;
  cleanMs: number;
  writeMs: number;
  /** For information: the app's CsvReader + MappingDetector over the file (one run). */
  readMs: number;
}

export interface ProbeRow {
  side: BenchBuild['side'];
  database: string;
  scenario: string;
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
  /** When the run started. */
  date: string;
  /** 1-minute load average at the start and the end of the run: other work on the machine makes timings noisy. */
  loadAverage: { start: number; end: number; min: number; max: number };
}

export interface Summary {
  machine: Machine;
  /** What ran: the new build, and the baseline when there is one. */
  builds: Array<Pick<BenchBuild, 'side' | 'description'>>;
  results: ResultRow[];
  floors: FloorRow[];
  probes: ProbeRow[];
  targets: TargetRow[];
  notes: string[];
  durationS: number;
  /** Repetitions per scenario and floor. */
  reps: number;
}

/** The 1-minute load average, sampled before every scenario, so a report can say how busy the machine was. */
export class LoadSampler {
  private readonly samples: number[] = [loadavg()[0]];

  sample(): void {
    this.samples.push(loadavg()[0]);
  }

  get start(): number {
    return this.samples[0];
  }

  range(): { min: number; max: number } {
    return { min: Math.min(...this.samples), max: Math.max(...this.samples) };
  }
}

export function describeMachine(databaseVersions: string[], load: LoadSampler, startedAt: Date): Machine {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  load.sample();
  return {
    cpu: model.trim(),
    cores: cpus().length,
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    databases: databaseVersions,
    date: startedAt.toISOString(),
    loadAverage: { start: load.start, end: loadavg()[0], ...load.range() },
  };
}

const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';

interface Table {
  headers: string[];
  rows: string[][];
  /** Columns from this one on are numbers (right-aligned). */
  firstNumber: number;
}

function label(row: ResultRow): string {
  return row.problems.length > 0 ? `${row.scenario} (!)` : row.scenario;
}

function resultsTable(summary: Summary): Table {
  const current = summary.results.filter((row) => row.side === 'new');
  const baseline = summary.results.filter((row) => row.side === 'baseline');
  const median = `median of ${summary.reps}`;
  if (baseline.length === 0) {
    return {
      headers: [
        'database',
        'scenario',
        'rows',
        `ms (${median})`,
        'rows/s',
        'ratio',
        'peak RSS MB',
        'health max ms',
        'event-loop max ms',
      ],
      rows: current.map((row) => [
        row.database,
        label(row),
        fmt(row.rows),
        fmt(row.wallMs),
        fmt(row.rowsPerSecond),
        fmt(row.ratio, 2),
        fmt(row.peakRssMb),
        fmt(row.healthMaxMs),
        fmt(row.eventLoopMaxMs),
      ]),
      firstNumber: 2,
    };
  }
  const cells = (row: ResultRow | undefined) =>
    row
      ? [fmt(row.wallMs), fmt(row.ratio, 2), fmt(row.peakRssMb), fmt(row.healthMaxMs), fmt(row.eventLoopMaxMs)]
      : ['—', '—', '—', '—', '—'];
  return {
    headers: [
      'database',
      'scenario',
      `new ms (${median})`,
      'new ratio',
      'new peak RSS MB',
      'new health max ms',
      'new event-loop max ms',
      `baseline ms (${median})`,
      'baseline ratio',
      'baseline peak RSS MB',
      'baseline health max ms',
      'baseline event-loop max ms',
      'new ÷ baseline ms',
    ],
    rows: current.map((row) => {
      const old = baseline.find((b) => b.database === row.database && b.scenario === row.scenario);
      const problems = row.problems.length + (old?.problems.length ?? 0) > 0;
      return [
        row.database,
        problems ? `${row.scenario} (!)` : row.scenario,
        ...cells(row),
        ...cells(old),
        old ? fmt(row.wallMs / old.wallMs, 2) : '—',
      ];
    }),
    firstNumber: 2,
  };
}

/**
 * Where the CPU went during each scenario's imports, and what that allows: an import cannot end sooner than its CPU
 * time spread over every core, so "ratio at full cores" is the lowest ratio the same work could reach.
 */
function cpuTable(summary: Summary): Table {
  const cores = summary.machine.cores;
  const withBaseline = summary.results.some((row) => row.side === 'baseline');
  return {
    headers: [
      'database',
      'scenario',
      ...(withBaseline ? ['build'] : []),
      'ms',
      'server main thread CPU ms',
      'server other threads CPU ms',
      'database server CPU ms',
      'total CPU ms',
      `cores busy (of ${cores})`,
      'machine cores busy',
      `ratio at full cores (total ÷ ${cores} ÷ floors)`,
    ],
    rows: summary.results.map((row) => {
      const { mainMs, otherThreadsMs, databaseMs, machineMs } = row.cpu;
      const total = mainMs + otherThreadsMs + (Number.isFinite(databaseMs) ? databaseMs : 0);
      return [
        row.database,
        label(row),
        ...(withBaseline ? [row.side] : []),
        fmt(row.wallMs),
        fmt(mainMs),
        fmt(otherThreadsMs),
        fmt(databaseMs),
        fmt(total),
        fmt(total / row.wallMs, 2),
        fmt(machineMs / row.wallMs, 2),
        fmt(total / cores / row.floorsMs, 2),
      ];
    }),
    firstNumber: withBaseline ? 3 : 2,
  };
}

const CPU_NOTE =
  "medians of the repetitions, from /proc: the server's main thread; its other threads (V8's garbage-collection " +
  'helpers, the cleaning and WAL-checkpoint threads); the database server when it runs on this machine (SQLite runs ' +
  'inside the server); cores busy: their total over the wall time; machine cores busy: every process, the ' +
  "bench's own (upload, probes) and the machine's other work included";

function floorsTable(summary: Summary): Table {
  return {
    headers: [
      'database',
      'file',
      'parse floor ms',
      'clean floor ms',
      'write floor ms',
      'parse + clean + write ms',
      'skip target ms (0.8 × (parse + write))',
      'app read ms (information)',
    ],
    rows: summary.floors.map((row) => [
      row.database,
      row.file,
      fmt(row.parseMs),
      fmt(row.cleanMs),
      fmt(row.writeMs),
      fmt(row.parseMs + row.cleanMs + row.writeMs),
      fmt(0.8 * (row.parseMs + row.writeMs)),
      fmt(row.readMs),
    ]),
    firstNumber: 2,
  };
}

function textTable({ headers, rows, firstNumber }: Table): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i >= firstNumber ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}

function markdownTable({ headers, rows, firstNumber }: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${headers.map(escape).join(' | ')} |`,
    `| ${headers.map((_header, i) => (i >= firstNumber ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

function buildsLine(summary: Summary): string {
  return summary.builds.map((build) => `${build.side}: ${build.description}`).join('; ');
}

function loadLine(machine: Machine): string {
  const { start, end, min, max } = machine.loadAverage;
  return (
    `load average (1 min) ${start.toFixed(1)} at the start, ${end.toFixed(1)} at the end, ` +
    `${min.toFixed(1)}–${max.toFixed(1)} before the scenarios`
  );
}

const FLOORS_NOTE =
  'ratio = import ms / (parse + clean + write floor); parse: csv-parser alone; clean: the Normalizer alone over the ' +
  'parsed rows; write: the driver alone';

const PROBE_NOTE =
  'health max: the slowest `GET /health/ready` (one every 200 ms, each on a new connection) during the imports; ' +
  "event-loop max: the server's own longest event-loop delay during them (prom-client's " +
  '`nodejs_eventloop_lag_max_seconds`, read from `/metrics` before and after; — for a build without it)';

/** Scenarios measured side by side for one question each: what the undo ledger costs, what a suppression list costs. */
const COMPARISONS = [
  {
    base: 're-import 12 MB, update, no ledger',
    other: 're-import 12 MB, update',
    what: 'update with the undo ledger against without (IMPORT_UNDO_DAYS=0)',
  },
  {
    base: 'fresh 12 MB',
    other: 'fresh 12 MB, 100k suppressions',
    what: 'fresh import into a workspace with 100,000 suppressions against an empty list',
  },
] as const;

function comparisonLines(summary: Summary): string[] {
  const lines: string[] = [];
  for (const side of ['new', 'baseline'] as const) {
    const rows = summary.results.filter((row) => row.side === side);
    for (const database of new Set(rows.map((row) => row.database))) {
      for (const { base, other, what } of COMPARISONS) {
        const a = rows.find((row) => row.database === database && row.scenario === base);
        const b = rows.find((row) => row.database === database && row.scenario === other);
        if (!a || !b) continue;
        const checked =
          b.suppressed === undefined || !other.includes('suppressions')
            ? ''
            : `; skippedReasons.suppressed ${fmt(b.suppressed)}` +
              (b.problems.length === 0 ? ', as the file predicts' : ' (see Problems)');
        lines.push(
          `${side === 'baseline' ? 'baseline ' : ''}${database}, ${what}: ${fmt(b.wallMs)} against ` +
            `${fmt(a.wallMs)} ms (${fmt(b.wallMs / a.wallMs, 2)} ×; ratio ${fmt(b.ratio, 2)} against ` +
            `${fmt(a.ratio, 2)})${checked}`,
        );
      }
    }
  }
  return lines;
}

function problemLines(summary: Summary): string[] {
  return summary.results.flatMap((row) =>
    row.problems.map((p) => `${row.side === 'baseline' ? 'baseline ' : ''}${row.database} ${row.scenario}: ${p}`),
  );
}

function repetitionLines(summary: Summary): string[] {
  return summary.results
    .filter((row) => row.side === 'new')
    .map((row) => {
      const old = summary.results.find(
        (b) => b.side === 'baseline' && b.database === row.database && b.scenario === row.scenario,
      );
      const runs = (r: ResultRow) => r.runsMs.map((ms) => fmt(ms)).join(', ');
      return `- ${row.database} ${row.scenario}: ${old ? `new ${runs(row)}; baseline ${runs(old)}` : runs(row)}`;
    });
}

export function renderText(summary: Summary): string {
  const problems = problemLines(summary);
  return [
    `Builds: ${buildsLine(summary)}. ${loadLine(summary.machine)}.`,
    '',
    textTable(resultsTable(summary)),
    '',
    `Floors (median of ${summary.reps}; ${FLOORS_NOTE}; ${PROBE_NOTE}):`,
    textTable(floorsTable(summary)),
    '',
    `CPU during the imports (${CPU_NOTE}):`,
    textTable(cpuTable(summary)),
    '',
    'Side by side (medians, same run):',
    ...comparisonLines(summary).map((line) => `  ${line}`),
    '',
    'Targets (issue 13):',
    ...summary.targets.map((target) => `  ${target.met ? 'met ' : 'MISS'}  ${target.name}: ${target.measured}`),
    ...(problems.length > 0 ? ['', 'Problems:', ...problems.map((p) => `  ${p}`)] : []),
    ...(summary.notes.length > 0 ? ['', 'Notes:', ...summary.notes.map((note) => `  ${note}`)] : []),
  ].join('\n');
}

export function renderMarkdown(summary: Summary): string {
  const { machine } = summary;
  const problems = problemLines(summary);
  const against = summary.builds.find((build) => build.side === 'baseline');
  return [
    `### Bench run of ${machine.date.slice(0, 16).replace('T', ' ')} UTC` +
      (against ? `, against the baseline ${against.description}` : ''),
    '',
    `${fmt(summary.durationS)} s in all. Builds: ${buildsLine(summary)}.`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb} GB RAM; Node ${machine.node}; ` +
      `${machine.databases.join('; ')}; ${loadLine(machine)}.`,
    '',
    markdownTable(resultsTable(summary)),
    '',
    `Floors (median of ${summary.reps}; ${FLOORS_NOTE}; ${PROBE_NOTE}):`,
    '',
    markdownTable(floorsTable(summary)),
    '',
    `CPU during the imports (${CPU_NOTE}):`,
    '',
    markdownTable(cpuTable(summary)),
    '',
    'Each repetition, ms in run order:',
    '',
    ...repetitionLines(summary),
    '',
    'Side by side (medians, same run):',
    '',
    ...comparisonLines(summary).map((line) => `- ${line}`),
    '',
    'Targets (issue 13):',
    '',
    ...summary.targets.map((target) => `- ${target.met ? '✅' : '❌'} ${target.name}: ${target.measured}`),
    ...(problems.length > 0 ? ['', 'Problems:', '', ...problems.map((p) => `- ${p}`)] : []),
    ...(summary.notes.length > 0 ? ['', 'Notes:', '', ...summary.notes.map((note) => `- ${note}`)] : []),
  ].join('\n');
}

export const DOC_START = '<!-- bench:start -->';
export const DOC_END = '<!-- bench:end -->';

const DOC_INTRO = `# Performance

\`npm run bench\` measures the CSV import end to end; \`bench/run.ts\` and the sections below describe how.
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
