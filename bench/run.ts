import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchDatabase, mariadbDatabase, mariadbUnreachable, sqliteDatabase } from './databases';
import { BenchFile, prepareFile, ROWS, warmUpBlob } from './files';
import { forWorkspace, median } from './floors';
import { LeadFileSize } from './gen-leads';
import { log, seconds } from './progress';
import {
  describeMachine,
  FloorRow,
  renderMarkdown,
  renderText,
  Summary,
  updatePerformanceDoc,
  writeJson,
} from './report';
import { evaluateTargets, probeRows, ServerLogSummary, summariseServerLog, toResultRow } from './results';
import { DatabaseRun, runScenario, ScenarioRecord, SCENARIOS } from './scenarios';
import { BenchServer, killAllServers, ROOT, snapshotBuild } from './server';

/**
 * `npm run bench`: generates the files, measures the floors, runs every scenario against the built server on SQLite
 * and MariaDB, prints the table and writes bench/results/<timestamp>.json and docs/performance.md. See that doc.
 */

const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/leadport_bench';
/**
 * `npm run bench` must end within 10 minutes; past this many seconds of this process (the build check runs before
 * it), scenarios still to come get one repetition, with a note. Only a heavily loaded machine gets here.
 */
const DEFAULT_BUDGET_S = 470;
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

function budgetSeconds(): number {
  const value = Number(process.env.BENCH_BUDGET_S ?? DEFAULT_BUDGET_S);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_BUDGET_S;
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

/** What every database run adds to, so a database that fails half-way still reports what it measured. */
interface Collected {
  records: ScenarioRecord[];
  floors: FloorRow[];
  writeFloorRuns: Record<string, Record<string, number[]>>;
  notes: string[];
}

async function runDatabase(
  build: string,
  db: BenchDatabase,
  files: Record<LeadFileSize, BenchFile>,
  tmp: string,
  reps: number,
  collected: Collected,
): Promise<void> {
  const profileRoot = process.env.BENCH_CPU_PROF;
  const profileDir = profileRoot ? join(profileRoot, db.name.toLowerCase()) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const run: DatabaseRun = {
    build,
    db,
    bootstrapKey: `sk_bench${randomBytes(12).toString('hex')}`,
    logFile: join(tmp, `server-${db.name.toLowerCase()}.log`),
    warmUp: warmUpBlob(),
    reps,
    profileDir,
    stopped: () => interrupted,
    overBudget: () => process.uptime() > budgetSeconds(),
  };

  // One start runs the migrations, so the floors can copy the real `leads` table.
  const first = await BenchServer.start({
    build,
    databaseUrl: db.url,
    bootstrapKey: run.bootstrapKey,
    logFile: run.logFile,
  });
  await first.stop();
  const workspaceId = await db.anyWorkspaceId();
  collected.writeFloorRuns[db.name] = {};
  for (const file of Object.values(files)) {
    const rows = forWorkspace(file.cleaned.rows, workspaceId);
    const runs: number[] = [];
    for (let i = 0; i < reps && !interrupted; i++) runs.push(await db.writeFloor(rows));
    collected.writeFloorRuns[db.name][file.label] = runs;
    const writeMs = median(runs);
    collected.floors.push({
      database: db.name,
      file: file.label,
      parseMs: file.parseMs,
      writeMs,
      normalizeMs: file.cleaned.normalizeMs,
    });
    log(`  ${db.name} write floor ${file.label}: ${runs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  }

  for (const scenario of SCENARIOS) {
    if (interrupted) return;
    collected.records.push(await runScenario(run, scenario, files[scenario.size]));
  }
}

/** Opens the databases asked for; MariaDB is skipped with a notice when it does not answer. */
async function openDatabases(wanted: DatabaseName[], tmp: string, notes: string[]): Promise<BenchDatabase[]> {
  const databases: BenchDatabase[] = wanted.includes('sqlite') ? [sqliteDatabase(tmp)] : [];
  if (!wanted.includes('mariadb')) {
    notes.push('MariaDB not run (BENCH_DATABASES).');
    return databases;
  }
  const url = process.env.BENCH_MYSQL_URL || DEFAULT_MYSQL_URL;
  const unreachable = await mariadbUnreachable(url);
  if (unreachable) {
    const notice = `MariaDB skipped: ${new URL(url).host} is unreachable (${unreachable}). Set BENCH_MYSQL_URL.`;
    log(`NOTICE: ${notice}`);
    notes.push(notice);
    return databases;
  }
  const mariadb = await mariadbDatabase(url);
  cleanup.add(() => mariadb.drop());
  return [...databases, mariadb];
}

/** Keeps the server's log next to the results and summarises it. */
function keepServerLog(tmp: string, db: BenchDatabase, stamp: string): ServerLogSummary {
  const logFile = join(tmp, `server-${db.name.toLowerCase()}.log`);
  if (existsSync(logFile)) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    copyFileSync(logFile, join(RESULTS_DIR, `${stamp}-server-${db.name.toLowerCase()}.log`));
  }
  return summariseServerLog(logFile);
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const reps = repetitions();
  const wanted = databasesWanted();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const tmp = mkdtempSync(join(tmpdir(), 'leadport-bench-'));
  cleanup.add(() => rmSync(tmp, { recursive: true, force: true }));
  const build = snapshotBuild(tmp);

  log('Generating the files; parse and normalise floors…');
  const files: Record<LeadFileSize, BenchFile> = {
    small: await prepareFile(tmp, 'small', reps),
    large: await prepareFile(tmp, 'large', reps),
  };

  const collected: Collected = { records: [], floors: [], writeFloorRuns: {}, notes: [] };
  const { notes } = collected;
  const databases = await openDatabases(wanted, tmp, notes);
  if (loadAtStart > cpus().length / 2) {
    notes.push(
      `The load average was ${loadAtStart.toFixed(1)} on ${cpus().length} cores when the run started: other ` +
        'processes shared the CPU, so timings are slower and noisier than on an idle machine.',
    );
  }
  if (reps !== 3) notes.push(`BENCH_REPS=${reps}: medians of ${reps}, not 3.`);
  if (process.env.BENCH_CPU_PROF) {
    notes.push(`The fresh 12 MB servers ran under --cpu-prof (profiles in ${process.env.BENCH_CPU_PROF}): slower.`);
  }

  const serverLogs: Record<string, ServerLogSummary> = {};
  let failures = 0;
  for (const db of databases) {
    if (interrupted) break;
    log(`${db.name} (${db.version}):`);
    try {
      await runDatabase(build, db, files, tmp, reps, collected);
    } catch (error) {
      if (interrupted) break;
      const message = error instanceof Error ? error.message : String(error);
      log(`${db.name} run failed: ${message}`);
      notes.push(`${db.name} run failed: ${message.split('\n')[0]}`);
      failures++;
    } finally {
      serverLogs[db.name] = keepServerLog(tmp, db, stamp);
    }
  }
  if (interrupted) return;
  for (const record of collected.records) {
    if (record.runs.length < reps) {
      notes.push(
        `Time budget (${budgetSeconds()} s, BENCH_BUDGET_S) reached: ${record.database} ${record.label} ran ` +
          `${record.runs.length} of ${reps} repetitions.`,
      );
    }
  }
  for (const [database, summary] of Object.entries(serverLogs)) {
    if (summary.warnings + summary.errors > 0) {
      notes.push(
        `${database} server log: ${summary.warnings} warnings, ${summary.errors} errors ` +
          `(${summary.samples.join(' | ')}); kept in bench/results/${stamp}-server-${database.toLowerCase()}.log.`,
      );
    }
  }

  const results = collected.records.map((record) => toResultRow(record, collected.floors, files));
  const probes = probeRows(collected.records);
  const summary: Summary = {
    machine: describeMachine(
      databases.map((db) => db.version),
      loadAtStart,
    ),
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
      distinctValidLeads: file.cleaned.rows.length,
      failingRows: file.cleaned.failed,
      duplicatesInFile: file.cleaned.duplicatesInFile,
      parseFloorRuns: file.parseRuns,
    })),
    writeFloorRuns: collected.writeFloorRuns,
    scenarios: collected.records,
    serverLogs,
  });
  log(`Results: ${jsonPath}`);
  if (process.env.BENCH_CPU_PROF || wanted.length < 2 || failures > 0) {
    log('docs/performance.md left alone: a profiled, partial or failed run is not representative.');
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
