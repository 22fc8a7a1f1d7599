import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildRef, describeWorkingTree } from './baseline';
import { BenchDatabase, mariadbDatabase, mariadbUnreachable, sqliteDatabase } from './databases';
import { BenchFile, prepareFile, ROWS, warmUpCsv } from './files';
import { loadProviders, median } from './floors';
import { LeadFileSize } from './gen-leads';
import { leadRows } from './lead-rows';
import { log, seconds } from './progress';
import {
  describeMachine,
  FloorRow,
  LoadSampler,
  renderMarkdown,
  renderText,
  Summary,
  updatePerformanceDoc,
  writeJson,
} from './report';
import { evaluateTargets, probeRows, ServerLogSummary, summariseServerLog, toResultRow } from './results';
import {
  DatabaseRun,
  RunControl,
  runScenarioGroup,
  SCENARIO_GROUPS,
  Scenario,
  ScenarioRecord,
  SCENARIOS,
} from './scenarios';
import { BenchBuild, BenchServer, createWorkspace, killAllServers, ROOT, snapshotBuild } from './server';
import { buildSuppressionList, loadSuppressions, SuppressionList } from './suppressions';

/**
 * `npm run bench [-- --baseline <git-ref> [--baseline-patch <file>]] [--candidate <git-ref>]`: generates the files,
 * measures the floors, runs every scenario against the built server on SQLite and MariaDB (with a baseline: the
 * baseline's server too, in turns), prints the table and writes bench/results/<timestamp>.json and
 * docs/performance.md. See that doc.
 */

const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/leadport_bench';
/**
 * `npm run bench` must end within 10 minutes; past this many seconds of this process (the build check runs before
 * it), scenarios still to come get one repetition, with a note. Only a heavily loaded machine gets here.
 */
const DEFAULT_BUDGET_S = 470;
/** With a baseline every scenario runs twice as many servers; its clock starts once the builds are ready. */
const DEFAULT_BASELINE_BUDGET_S = 940;
const RESULTS_DIR = join(ROOT, 'bench', 'results');

type DatabaseName = 'sqlite' | 'mariadb';

/** Clean-up steps, run once, newest first, on success, failure or Ctrl-C alike. */
class Cleanup {
  private readonly steps: Array<() => unknown> = [];
  private done?: Promise<void>;

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      killAllServers();
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch (error) {
          log(`Clean-up step failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.done;
  }
}

const cleanup = new Cleanup();
let interrupted = false;

function repetitions(): number {
  const value = Number(process.env.BENCH_REPS ?? 3);
  if (!Number.isInteger(value) || value < 1) throw new Error('BENCH_REPS must be a positive integer');
  return value;
}

function budgetSeconds(withBaseline: boolean): number {
  const fallback = withBaseline ? DEFAULT_BASELINE_BUDGET_S : DEFAULT_BUDGET_S;
  const value = Number(process.env.BENCH_BUDGET_S ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

interface Options {
  /** A git ref to build and measure beside the new build, in the same run. */
  baseline?: string;
  /** A patch applied to the baseline before it is built (e.g. to switch off what the new build may not do). */
  'baseline-patch'?: string;
  /** A git ref to measure as the new build instead of the project's dist/ (e.g. HEAD without uncommitted work). */
  candidate?: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { baseline: { type: 'string' }, 'baseline-patch': { type: 'string' }, candidate: { type: 'string' } },
    strict: true,
  });
  const patch = values['baseline-patch'];
  if (patch !== undefined && !values.baseline) throw new Error('--baseline-patch needs --baseline <git-ref>');
  if (patch !== undefined && !existsSync(patch)) throw new Error(`--baseline-patch: there is no file ${patch}`);
  return values;
}

/** `BENCH_DATABASES=sqlite,mariadb` (the default) picks the databases to run. */
function databasesWanted(): DatabaseName[] {
  const names = (process.env.BENCH_DATABASES ?? 'sqlite,mariadb').split(',').map((name) => name.trim().toLowerCase());
  const valid = names.filter((name): name is DatabaseName => name === 'sqlite' || name === 'mariadb');
  if (valid.length === 0 || valid.length !== names.length) {
    throw new Error('BENCH_DATABASES must list sqlite and/or mariadb, comma-separated');
  }
  return [...new Set(valid)];
}

/** `BENCH_CPU_PROF_SCENARIO` (default `fresh`): the scenario whose servers BENCH_CPU_PROF profiles. */
function profiledScenario(): Scenario {
  const key = process.env.BENCH_CPU_PROF_SCENARIO ?? 'fresh';
  const scenario = SCENARIOS.find((candidate) => candidate.key === key);
  if (!scenario) {
    throw new Error(`BENCH_CPU_PROF_SCENARIO must be one of ${SCENARIOS.map((candidate) => candidate.key).join(', ')}`);
  }
  return scenario;
}

/** What every database run adds to, so a database that fails half-way still reports what it measured. */
interface Collected {
  records: ScenarioRecord[];
  floors: FloorRow[];
  writeFloorRuns: Record<string, Record<string, number[]>>;
  notes: string[];
}

/** One build on its own database: the new build first, then the baseline's. */
interface Side {
  build: BenchBuild;
  db: BenchDatabase;
}

interface RunSettings {
  files: Record<LeadFileSize, BenchFile>;
  tmp: string;
  reps: number;
  control: RunControl;
  load: LoadSampler;
  /** Built from the 12 MB file the first time a build loads it. */
  suppressionList?: SuppressionList;
}

async function runDatabase(sides: Side[], settings: RunSettings, collected: Collected): Promise<void> {
  const { files, tmp, reps, control } = settings;
  const profileRoot = process.env.BENCH_CPU_PROF;
  const runs: DatabaseRun[] = sides.map(({ build, db }) => {
    const profile =
      profileRoot && build.side === 'new'
        ? { scenario: profiledScenario().key, dir: join(profileRoot, db.name.toLowerCase()) }
        : undefined;
    if (profile) mkdirSync(profile.dir, { recursive: true });
    return {
      build,
      tag: sides.length > 1 ? `${build.side} ` : '',
      db,
      bootstrapKey: `sk_bench${randomBytes(12).toString('hex')}`,
      logFile: serverLogFile(tmp, build, db),
      warmUp: warmUpCsv(),
      profile,
    };
  });

  // One start per build runs its migrations, so the floors can copy the real `leads` table; the same server loads
  // the suppression lists, one workspace per repetition, so the measured servers start as the others do.
  for (const run of runs) {
    const first = await BenchServer.start({
      build: run.build,
      databaseUrl: run.db.url,
      bootstrapKey: run.bootstrapKey,
      logFile: run.logFile,
    });
    try {
      if (SCENARIOS.some((scenario) => scenario.workspace === 'suppressed') && !control.stopped()) {
        await prepareSuppressions(run, first, settings, collected.notes);
      }
    } finally {
      await first.stop();
    }
  }
  const { db } = runs[0];
  const workspaceId = await db.anyWorkspaceId();
  const table = await db.leadColumns();
  collected.writeFloorRuns[db.name] = {};
  for (const file of Object.values(files)) {
    const rows = leadRows(table, file.cleaned.leads, workspaceId);
    const writeRuns: number[] = [];
    for (let i = 0; i < reps && !control.stopped(); i++) writeRuns.push(await db.writeFloor(rows));
    collected.writeFloorRuns[db.name][file.label] = writeRuns;
    collected.floors.push({
      database: db.name,
      file: file.label,
      parseMs: file.parseMs,
      cleanMs: file.cleaned.cleanMs,
      writeMs: median(writeRuns),
      readMs: file.cleaned.readMs,
    });
    log(`  ${db.name} write floor ${file.label}: ${writeRuns.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  }

  for (const group of SCENARIO_GROUPS) {
    if (control.stopped()) return;
    settings.load.sample();
    collected.records.push(...(await runScenarioGroup(runs, group, files, reps, control)));
  }
}

/**
 * Creates one workspace per repetition and loads the suppression list into each through the API. A build that cannot
 * (one older than the suppression list) leaves the scenario out, with a note.
 */
async function prepareSuppressions(
  run: DatabaseRun,
  server: BenchServer,
  settings: RunSettings,
  notes: string[],
): Promise<void> {
  const list = (settings.suppressionList ??= buildSuppressionList(settings.files.small));
  const started = performance.now();
  const keys: string[] = [];
  try {
    for (let rep = 1; rep <= settings.reps; rep++) {
      const key = await createWorkspace(run.build, run.db.url, `bench suppressed ${rep}`);
      await loadSuppressions(server.baseUrl, key, list);
      keys.push(key);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  ${run.tag}${run.db.name}: no suppression list (${message.split('\n')[0]})`);
    notes.push(`${run.build.side} ${run.db.name}: the suppression scenario did not run: ${message.split('\n')[0]}`);
    return;
  }
  run.suppression = { list, keys };
  log(
    `  ${run.tag}${run.db.name}: ${keys.length} workspace(s) with ${list.entries.toLocaleString('en-US')} ` +
      `suppressions each (${list.matchingEmails} of the file's emails, ${list.matchingDomains} of its domains: ` +
      `${list.suppressedLeads} leads suppressed) in ${seconds(performance.now() - started)}`,
  );
}

function serverLogFile(tmp: string, build: BenchBuild, db: BenchDatabase): string {
  return join(tmp, `server-${build.side === 'new' ? '' : 'baseline-'}${db.name.toLowerCase()}.log`);
}

/**
 * Opens the databases asked for, one per build (the baseline's on a database of its own, as its migrations may
 * differ); MariaDB is skipped with a notice when it does not answer.
 */
async function openDatabases(
  wanted: DatabaseName[],
  builds: BenchBuild[],
  tmp: string,
  notes: string[],
): Promise<Side[][]> {
  const pairs: Side[][] = [];
  if (wanted.includes('sqlite')) {
    pairs.push(builds.map((build) => ({ build, db: sqliteDatabase(tmp, `bench-${build.side}.sqlite`) })));
  }
  if (!wanted.includes('mariadb')) {
    notes.push('MariaDB not run (BENCH_DATABASES).');
    return pairs;
  }
  const url = process.env.BENCH_MYSQL_URL || DEFAULT_MYSQL_URL;
  const unreachable = await mariadbUnreachable(url);
  if (unreachable) {
    const notice = `MariaDB skipped: ${new URL(url).host} is unreachable (${unreachable}). Set BENCH_MYSQL_URL.`;
    log(`NOTICE: ${notice}`);
    notes.push(notice);
    return pairs;
  }
  const sides: Side[] = [];
  for (const build of builds) {
    const sideUrl = new URL(url);
    if (build.side === 'baseline') sideUrl.pathname = `${sideUrl.pathname}_baseline`;
    const mariadb = await mariadbDatabase(sideUrl.toString());
    cleanup.add(() => mariadb.drop());
    sides.push({ build, db: mariadb });
  }
  pairs.push(sides);
  return pairs;
}

/** Keeps the servers' logs next to the results and summarises them. */
function keepServerLogs(tmp: string, sides: Side[], stamp: string, into: Record<string, ServerLogSummary>): void {
  for (const { build, db } of sides) {
    const logFile = serverLogFile(tmp, build, db);
    const name = `${build.side === 'new' ? '' : 'baseline '}${db.name}`;
    if (existsSync(logFile)) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      copyFileSync(logFile, join(RESULTS_DIR, `${stamp}-${logFile.split('/').pop()}`));
    }
    into[name] = summariseServerLog(logFile);
  }
}

/** The new build (the project's dist/, or `--candidate`) and the `--baseline` build, if any. */
function prepareBuilds(options: Options, tmp: string): BenchBuild[] {
  const builds: BenchBuild[] = [];
  if (options.candidate) {
    const candidate = buildRef(options.candidate, 'new');
    cleanup.add(() => candidate.remove());
    builds.push(candidate.build);
  } else {
    builds.push(snapshotBuild(tmp, describeWorkingTree()));
  }
  if (options.baseline) {
    const baseline = buildRef(options.baseline, 'baseline', options['baseline-patch']);
    cleanup.add(() => baseline.remove());
    builds.push(baseline.build);
  }
  return builds;
}

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date();
  const load = new LoadSampler();
  const options = parseOptions();
  const reps = repetitions();
  const wanted = databasesWanted();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const tmp = mkdtempSync(join(tmpdir(), 'leadport-bench-'));
  cleanup.add(() => rmSync(tmp, { recursive: true, force: true }));
  const builds = prepareBuilds(options, tmp);
  const withBaseline = builds.length > 1;
  const budgetStart = withBaseline ? performance.now() : 0;
  const control: RunControl = {
    stopped: () => interrupted,
    overBudget: () => (performance.now() - budgetStart) / 1000 > budgetSeconds(withBaseline),
  };

  log('Generating the files; parse and clean floors…');
  const providers = loadProviders(builds[0].dist);
  const files: Record<LeadFileSize, BenchFile> = {
    small: await prepareFile(providers, tmp, 'small', reps),
    large: await prepareFile(providers, tmp, 'large', reps),
  };

  const collected: Collected = { records: [], floors: [], writeFloorRuns: {}, notes: [] };
  const { notes } = collected;
  const pairs = await openDatabases(wanted, builds, tmp, notes);
  if (load.start > cpus().length / 2) {
    notes.push(
      `The load average was ${load.start.toFixed(1)} on ${cpus().length} cores when the run started: other ` +
        'processes shared the CPU, so timings are slower and noisier than on an idle machine.',
    );
  }
  if (reps !== 3) notes.push(`BENCH_REPS=${reps}: medians of ${reps}, not 3.`);
  if (process.env.BENCH_CPU_PROF) {
    notes.push(
      `The servers of "${profiledScenario().label}" ran under --cpu-prof (profiles in ${process.env.BENCH_CPU_PROF}): slower.`,
    );
  }

  const serverLogs: Record<string, ServerLogSummary> = {};
  let failures = 0;
  const settings: RunSettings = { files, tmp, reps, control, load };
  for (const sides of pairs) {
    if (interrupted) break;
    const { db } = sides[0];
    log(`${db.name} (${db.version}):`);
    try {
      await runDatabase(sides, settings, collected);
    } catch (error) {
      if (interrupted) break;
      const message = error instanceof Error ? error.message : String(error);
      log(`${db.name} run failed: ${message}`);
      notes.push(`${db.name} run failed: ${message.split('\n')[0]}`);
      failures++;
    } finally {
      keepServerLogs(tmp, sides, stamp, serverLogs);
    }
  }
  if (interrupted) return;
  for (const record of collected.records) {
    if (record.runs.length < reps) {
      notes.push(
        `Time budget (${budgetSeconds(withBaseline)} s, BENCH_BUDGET_S) reached: ${record.side} ${record.database} ` +
          `${record.label} ran ${record.runs.length} of ${reps} repetitions.`,
      );
    }
  }
  for (const [name, summary] of Object.entries(serverLogs)) {
    if (summary.warnings + summary.errors > 0) {
      notes.push(
        `${name} server log: ${summary.warnings} warnings, ${summary.errors} errors ` +
          `(${summary.samples.join(' | ')}); kept in bench/results/.`,
      );
    }
  }

  const results = collected.records.map((record) => toResultRow(record, collected.floors, files));
  const probes = probeRows(collected.records);
  const summary: Summary = {
    machine: describeMachine(
      pairs.map((sides) => sides[0].db.version),
      load,
      startedAt,
    ),
    builds: builds.map(({ side, description }) => ({ side, description })),
    results,
    floors: collected.floors,
    probes,
    targets: evaluateTargets(results, probes),
    notes,
    durationS: (performance.now() - started) / 1000,
    reps,
  };
  process.stdout.write(`\n${renderText(summary)}\n\nThe bench took ${seconds(performance.now() - started)}.\n`);

  const jsonPath = join(RESULTS_DIR, `${stamp}.json`);
  writeJson(jsonPath, {
    ...summary,
    files: Object.values(files).map((file) => ({
      size: file.size,
      bytes: file.bytes,
      rows: ROWS,
      invalidEmails: file.invalidEmails,
      repeatedEmails: file.repeatedEmails,
      distinctValidLeads: file.cleaned.leads.length,
      failingRows: file.cleaned.failed,
      duplicatesInFile: file.cleaned.duplicatesInFile,
      parseFloorRuns: file.parseRuns,
      cleanFloorRuns: file.cleaned.cleanRuns,
      appReadMs: file.cleaned.readMs,
    })),
    writeFloorRuns: collected.writeFloorRuns,
    scenarios: collected.records,
    serverLogs,
  });
  log(`Results: ${jsonPath}`);
  if (process.env.BENCH_CPU_PROF || reps < 3 || wanted.length < 2 || pairs.length < 2 || failures > 0) {
    log(
      'docs/performance.md left alone: a profiled, partial, short (BENCH_REPS < 3) or failed run is not representative.',
    );
  } else {
    updatePerformanceDoc(join(ROOT, 'docs', 'performance.md'), renderMarkdown(summary));
    log('Updated docs/performance.md.');
  }
}

async function interrupt(signal: string): Promise<void> {
  interrupted = true;
  log(`\n${signal}: stopping the servers and cleaning up…`);
  await cleanup.run();
  process.exit(130);
}

process.once('SIGINT', () => void interrupt('SIGINT'));
process.once('SIGTERM', () => void interrupt('SIGTERM'));
process.on('exit', killAllServers);

main()
  .catch((error: unknown) => {
    if (!interrupted) {
      log(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    }
  })
  .finally(() => cleanup.run());
