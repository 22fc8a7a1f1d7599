import { CpuMeter, CpuTimes } from './cpu';
import { BenchDatabase } from './databases';
import { BenchFile, ROWS } from './files';
import { LeadFileSize } from './gen-leads';
import { eventLoopMaxMs, ImportCounts, postImport, startHealthProbe, startMaxSampler } from './http';
import { log, seconds } from './progress';
import { BenchBuild, BenchServer, createWorkspace } from './server';
import type { SuppressionList } from './suppressions';

const RSS_SAMPLE_MS = 20;
const PROBE_INTERVAL_MS = 200;

export type ScenarioKey = 'fresh' | 'suppressed' | 'skip' | 'update' | 'update-no-ledger' | 'fresh-large';

export interface Scenario {
  key: ScenarioKey;
  label: string;
  size: LeadFileSize;
  skipDuplicates: boolean;
  /**
   * `new`: a new empty workspace per repetition; `filled`: the workspace the last fresh 12 MB import filled;
   * `suppressed`: a new empty workspace whose suppression list holds 100,000 entries (loaded before the server starts).
   */
  workspace: 'new' | 'filled' | 'suppressed';
  /** Server settings for this scenario's servers. */
  env?: Record<string, string>;
}

/**
 * In this order: the re-imports use the workspace the fresh 12 MB import filled. The scenarios of one group run
 * side by side, repetition by repetition, in turns (A B, B A, …), so each is measured beside the other.
 */
export const SCENARIO_GROUPS: readonly (readonly Scenario[])[] = [
  [
    { key: 'fresh', label: 'fresh 12 MB', size: 'small', skipDuplicates: true, workspace: 'new' },
    {
      key: 'suppressed',
      label: 'fresh 12 MB, 100k suppressions',
      size: 'small',
      skipDuplicates: true,
      workspace: 'suppressed',
    },
  ],
  [{ key: 'skip', label: 're-import 12 MB, skip', size: 'small', skipDuplicates: true, workspace: 'filled' }],
  [
    { key: 'update', label: 're-import 12 MB, update', size: 'small', skipDuplicates: false, workspace: 'filled' },
    {
      key: 'update-no-ledger',
      label: 're-import 12 MB, update, no ledger',
      size: 'small',
      skipDuplicates: false,
      workspace: 'filled',
      env: { IMPORT_UNDO_DAYS: '0' },
    },
  ],
  [{ key: 'fresh-large', label: 'fresh 50 MB', size: 'large', skipDuplicates: true, workspace: 'new' }],
];

export const SCENARIOS: readonly Scenario[] = SCENARIO_GROUPS.flat();

export interface RunRecord {
  status: number;
  ms: number;
  /** VmHWM of the server, started for this repetition, once the import answered. */
  peakRssMb: number;
  /** VmRSS after start-up and the warm-up import, just before the import. */
  rssBeforeMb: number;
  /** Largest VmRSS seen while polling every 20 ms during the import (a cross-check of peakRssMb). */
  sampledRssMaxMb: number;
  counts?: ImportCounts;
  problems: string[];
  probeMs?: number[];
  /** Probes that did not answer 200 (e.g. 503 when the database ping timed out behind a blocked event loop). */
  probeFailures?: number;
  /** The server's longest event-loop delay during the import, when the build serves /metrics. */
  eventLoopMaxMs?: number;
  /** CPU time of the server's threads and the database server during the import (undefined off Linux). */
  cpu?: CpuTimes;
}

export interface ScenarioRecord {
  side: BenchBuild['side'];
  database: string;
  scenario: ScenarioKey;
  label: string;
  runs: RunRecord[];
  /** The largest of the repetitions' peaks. */
  peakRssMb: number;
}

/** What the scenarios of one build on one database share. */
export interface DatabaseRun {
  /** The build the servers and the CLI run from. */
  build: BenchBuild;
  /** Prefix of the progress lines: the side when two builds alternate. */
  tag: string;
  db: BenchDatabase;
  bootstrapKey: string;
  logFile: string;
  warmUp: Buffer;
  /** The scenario whose servers run under `--cpu-prof`, and where their profiles go (BENCH_CPU_PROF). */
  profile?: { scenario: ScenarioKey; dir: string };
  /** Key of the workspace the fresh 12 MB import filled last. */
  filledKey?: string;
  /** The suppression list and one workspace holding it per repetition (unset: the build cannot load one). */
  suppression?: { list: SuppressionList; keys: string[] };
}

export interface RunControl {
  stopped: () => boolean;
  /** True once the run is past its time budget: later scenarios then get one repetition only. */
  overBudget: () => boolean;
}

/** What the response must say, from the app's own reader and normaliser run over the same file. */
export function checkCounts(
  scenario: Scenario,
  file: BenchFile,
  counts: ImportCounts,
  list?: SuppressionList,
): string[] {
  const problems: string[] = [];
  const { cleaned } = file;
  const sum = counts.imported + counts.updated + counts.skipped + counts.failed;
  if (sum !== counts.totalRows) {
    problems.push(`imported+updated+skipped+failed = ${sum}, totalRows ${counts.totalRows}`);
  }
  if (counts.totalRows !== ROWS) problems.push(`totalRows ${counts.totalRows}, the file has ${ROWS}`);
  if (counts.failed !== cleaned.failed) problems.push(`failed ${counts.failed}, expected ${cleaned.failed}`);
  if (counts.importedLeadIds !== counts.imported) {
    problems.push(`${counts.importedLeadIds} importedLeadIds for ${counts.imported} imported`);
  }
  const suppressed = scenario.workspace === 'suppressed' ? (list?.suppressedLeads ?? NaN) : 0;
  const expected =
    scenario.key === 'skip'
      ? { imported: 0, updated: 0, skipped: ROWS - cleaned.failed }
      : scenario.skipDuplicates
        ? { imported: cleaned.leads.length - suppressed, updated: 0, skipped: cleaned.duplicatesInFile + suppressed }
        : { imported: 0, updated: cleaned.leads.length, skipped: cleaned.duplicatesInFile };
  if (counts.suppressed !== undefined && counts.suppressed !== suppressed) {
    problems.push(`skippedReasons.suppressed ${counts.suppressed}, expected ${suppressed}`);
  }
  if (counts.suppressed === undefined && suppressed > 0) problems.push('no skippedReasons.suppressed');
  for (const key of ['imported', 'updated', 'skipped'] as const) {
    if (counts[key] !== expected[key]) problems.push(`${key} ${counts[key]}, expected ${expected[key]}`);
  }
  return problems;
}

/**
 * Runs the repetitions of a group of scenarios, each import on a server of its own (see runOnce). Every repetition
 * runs each scenario of the group with each build (new, and baseline if any) back to back, in turns (A B, B A, A B…),
 * so drift in the machine's speed weighs on all alike. A scenario needing a suppression list is left out for a build
 * that could not load one.
 */
export async function runScenarioGroup(
  runs: DatabaseRun[],
  group: readonly Scenario[],
  files: Record<LeadFileSize, BenchFile>,
  reps: number,
  { stopped, overBudget }: RunControl,
): Promise<ScenarioRecord[]> {
  const pairs = group
    .flatMap((scenario) => runs.map((run) => ({ run, scenario, done: [] as RunRecord[] })))
    .filter(({ run, scenario }) => scenario.workspace !== 'suppressed' || run.suppression);
  for (let rep = 1; rep <= reps && !stopped() && (rep === 1 || !overBudget()); rep++) {
    const order = rep % 2 === 1 ? pairs : [...pairs].reverse();
    for (const pair of order) {
      if (stopped()) break;
      pair.done.push(await runOnce(pair.run, pair.scenario, files[pair.scenario.size], rep));
    }
  }
  return pairs
    .filter(({ done }) => done.length > 0)
    .map(({ run, scenario, done }) => ({
      side: run.build.side,
      database: run.db.name,
      scenario: scenario.key,
      label: scenario.label,
      runs: done,
      peakRssMb: Math.max(...done.map((r) => r.peakRssMb)),
    }));
}

/**
 * One repetition on a freshly started server, warmed up by a small import so module loading and JIT compilation
 * are not timed. A fresh server makes its VmHWM (which never goes down) the peak of this one import: a server that
 * ran an import before keeps much of that memory, which would inflate the next repetition's peak.
 */
async function runOnce(run: DatabaseRun, scenario: Scenario, file: BenchFile, rep: number): Promise<RunRecord> {
  // The CLI and the server start side by side: both mostly wait on Node's start-up and the database.
  const [workspace, started] = await Promise.allSettled([
    scenario.workspace === 'new'
      ? createWorkspace(run.build, run.db.url, `bench ${scenario.key} ${rep}`)
      : scenario.workspace === 'suppressed'
        ? suppressedWorkspace(run, rep)
        : Promise.resolve(run.filledKey ?? run.bootstrapKey),
    BenchServer.start({
      build: run.build,
      databaseUrl: run.db.url,
      bootstrapKey: run.bootstrapKey,
      logFile: run.logFile,
      profileDir: scenario.key === run.profile?.scenario ? run.profile.dir : undefined,
      env: scenario.env,
    }),
  ]);
  if (started.status === 'rejected') throw asError(started.reason);
  const server = started.value;
  if (workspace.status === 'rejected') {
    await server.stop();
    throw asError(workspace.reason);
  }
  const apiKey = workspace.value;
  try {
    const warm = await postImport({
      baseUrl: server.baseUrl,
      apiKey: run.bootstrapKey,
      csv: run.warmUp,
      fileName: 'warm-up.csv',
      skipDuplicates: false,
    });
    if (warm.status !== 200) log(`  warm-up import answered ${warm.status}: ${warm.problem ?? ''}`);
    const rssBeforeMb = server.memory()?.rssMb ?? NaN;

    await eventLoopMaxMs(server.baseUrl); // resets the server's maximum
    const sampler = startMaxSampler(() => server.memory()?.rssMb, RSS_SAMPLE_MS);
    const probe = startHealthProbe(server.baseUrl, PROBE_INTERVAL_MS);
    const cpuMeter = new CpuMeter(server.pid, run.db.serverPid);
    const response = await postImport({
      baseUrl: server.baseUrl,
      apiKey,
      csv: file.csv,
      fileName: `leads-${file.size}.csv`,
      skipDuplicates: scenario.skipDuplicates,
    });
    const cpu = cpuMeter.stop();
    const probed = await probe.stop();
    const eventLoopMs = await eventLoopMaxMs(server.baseUrl);
    const sampledRssMaxMb = sampler.stop();
    const peakRssMb = server.memory()?.peakMb ?? NaN;
    if (scenario.key === 'fresh') run.filledKey = apiKey;

    const problems: string[] = [];
    if (response.status !== 200) problems.push(`status ${response.status}`);
    if (response.problem) problems.push(response.problem);
    if (response.counts) problems.push(...checkCounts(scenario, file, response.counts, run.suppression?.list));
    if (probed.failures.length > 0) problems.push(`health probe failures: ${probed.failures.join('; ')}`);

    const c = response.counts;
    log(
      `  ${run.tag}${run.db.name} ${scenario.label} #${rep}: ${response.status} in ${seconds(response.ms)}` +
        (c
          ? ` (imported ${c.imported}, updated ${c.updated}, skipped ${c.skipped}` +
            (c.suppressed ? ` of which ${c.suppressed} suppressed` : '') +
            `, failed ${c.failed})`
          : '') +
        `, peak RSS ${peakRssMb.toFixed(0)} MB (${rssBeforeMb.toFixed(0)} MB before)` +
        `, health max ${Math.max(0, ...probed.latenciesMs).toFixed(0)} ms` +
        (eventLoopMs === undefined ? '' : ` (event loop ${eventLoopMs.toFixed(0)} ms)`) +
        (problems.length > 0 ? ` — ${problems.join('; ')}` : ''),
    );
    return {
      status: response.status,
      ms: response.ms,
      peakRssMb,
      rssBeforeMb,
      sampledRssMaxMb,
      counts: response.counts,
      problems: problems.map((problem) => `rep ${rep}: ${problem}`),
      probeMs: probed.latenciesMs,
      eventLoopMaxMs: eventLoopMs,
      cpu,
      probeFailures: probed.failures.length,
    };
  } finally {
    await server.stop();
  }
}

/** The workspace loaded with the suppression list for this repetition (one per repetition, prepared beforehand). */
function suppressedWorkspace(run: DatabaseRun, rep: number): Promise<string> {
  const key = run.suppression?.keys[rep - 1];
  return key ? Promise.resolve(key) : Promise.reject(new Error(`no suppressed workspace for repetition ${rep}`));
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
