import { ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, cpSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, waitUntilReady } from '../test/support/server-process';

export const ROOT = join(__dirname, '..');
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

/** Every server still running, so an error or Ctrl-C never leaves one behind. */
const running = new Set<ChildProcess>();

/** Last resort, for process exit: synchronous, so it also works in an 'exit' handler. */
export function killAllServers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Nest's shutdown hooks re-raise SIGTERM, and a process killed by a signal writes no `--cpu-prof` profile; a profiled
 * server therefore preloads this file (written next to the build snapshot) and is stopped with SIGUSR2, which exits
 * normally.
 */
const PROFILE_EXIT = 'profile-exit.js';

/** A built server the bench runs: the project's own (snapshotBuild) or a git ref's (bench/baseline.ts). */
export interface BenchBuild {
  /** What the report calls it: `new` or `baseline`. */
  side: 'new' | 'baseline';
  /** What was built, e.g. `working tree at e3d9a5d` or `14185c0`. */
  description: string;
  /** The dist/ folder the servers and the CLI run from. */
  dist: string;
  /** The checkout whose node_modules the build uses; the servers' working directory. */
  root: string;
}

/**
 * Copies dist/ into `dir` and returns the copy: the servers and the CLI run from it, so a rebuild by someone else
 * during the run cannot change the code under test half-way. Packages still come from the project (NODE_PATH).
 */
export function snapshotBuild(dir: string, description: string): BenchBuild {
  const dist = join(dir, 'dist');
  cpSync(join(ROOT, 'dist'), dist, { recursive: true });
  // The server reads its version from the package.json above its dist/ (Swagger, start-up block).
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  // So the bench process itself can load the snapshot's modules (the floors run the app's providers from it).
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  addProfileExit(dist);
  return { side: 'new', description, dist, root: ROOT };
}

export function addProfileExit(dist: string): void {
  writeFileSync(join(dist, PROFILE_EXIT), "process.on('SIGUSR2', () => process.exit(0));\n");
}

export interface ServerOptions {
  build: BenchBuild;
  databaseUrl: string;
  bootstrapKey: string;
  /** The server's stdout and stderr are appended here. */
  logFile: string;
  /** Runs the server under `--cpu-prof`, writing the profile into this directory when stopped. */
  profileDir?: string;
  /** Server settings of the scenario (e.g. IMPORT_UNDO_DAYS=0), over the bench's own. */
  env?: Record<string, string>;
}

function profiledArgs(dist: string, main: string, dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--require', join(dist, PROFILE_EXIT), main];
}

/** The environment the built server and CLI run with: production mode, quiet logs, no throttling. */
function serverEnv(build: BenchBuild, databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    NODE_PATH: [join(build.root, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(delimiter),
    IMPORT_RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_PER_MINUTE: '100000',
    // For the event-loop delay (bench/http.ts eventLoopMaxMs); builds without /metrics ignore it.
    METRICS_ENABLED: 'true',
    ...extra,
  };
}

/** The built server (`node dist/src/main.js`) as a child process. */
export class BenchServer {
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    private readonly logFile: string,
    private readonly stopSignal: NodeJS.Signals,
  ) {
    running.add(child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        running.delete(child);
        resolve();
      });
    });
  }

  static async start(options: ServerOptions): Promise<BenchServer> {
    const port = await freePort();
    const log = openSync(options.logFile, 'a');
    try {
      const { build } = options;
      const main = join(build.dist, 'src', 'main.js');
      const args = options.profileDir ? profiledArgs(build.dist, main, options.profileDir) : [main];
      const child = spawn(process.execPath, args, {
        cwd: build.root,
        env: serverEnv(build, options.databaseUrl, {
          PORT: String(port),
          BOOTSTRAP_API_KEY: options.bootstrapKey,
          ...options.env,
        }),
        stdio: ['ignore', log, log],
      });
      const stopSignal = options.profileDir ? 'SIGUSR2' : 'SIGTERM';
      const server = new BenchServer(child, `http://127.0.0.1:${port}`, options.logFile, stopSignal);
      await server.waitUntilReady();
      return server;
    } finally {
      closeSync(log); // the child has its own copy of the descriptor
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** VmRSS and VmHWM (peak resident set since start) in MB, from /proc; undefined once the process is gone. */
  memory(): { rssMb: number; peakMb: number } | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      return { rssMb: kbField(status, 'VmRSS') / 1024, peakMb: kbField(status, 'VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  /** SIGTERM (graceful shutdown) or SIGUSR2 (profiled), then SIGKILL if it hangs. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill(this.stopSignal);
    const stopped = await Promise.race([this.exited.then(() => true), sleep(STOP_TIMEOUT_MS, false)]);
    if (!stopped) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private waitUntilReady(): Promise<void> {
    return waitUntilReady(this.baseUrl, READY_TIMEOUT_MS, {
      exited: () => (this.exitCode === undefined ? undefined : `code ${this.exitCode}`),
      output: () => this.logTail(),
      stop: () => this.stop(),
    });
  }

  private logTail(): string {
    return readFileSync(this.logFile, 'utf8').split('\n').slice(-30).join('\n');
  }
}

function kbField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : NaN;
}

/** Runs the built CLI's `workspace:create`; its last stdout line is the new workspace's key. */
export function createWorkspace(build: BenchBuild, databaseUrl: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(build.dist, 'src', 'cli', 'main.js'), 'workspace:create', name],
      { cwd: build.root, env: serverEnv(build, databaseUrl), timeout: 60_000 },
      (error, stdout, stderr) => {
        const key = stdout.trim().split('\n').pop()?.trim() ?? '';
        if (error || !key.startsWith('sk_')) {
          reject(new Error(`workspace:create failed: ${error?.message ?? 'no key printed'}\n${stderr}${stdout}`));
        } else {
          resolve(key);
        }
      },
    );
  });
}
