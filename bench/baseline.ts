import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { log } from './progress';
import { addProfileExit, BenchBuild, ROOT } from './server';

/**
 * `--baseline <ref>` (and `--candidate <ref>`): a git ref of the project built in a worktree of its own under the temp
 * folder, with its own packages, so an older commit runs with the dependencies it had. `--baseline-patch <file>`
 * applies a patch to the baseline before building it; the report names the patch.
 */

export interface RefBuild {
  build: BenchBuild;
  /** Removes the worktree (kept when BENCH_KEEP_BUILDS=1, for the next run to reuse). */
  remove(): void;
}

function run(command: string, args: string[], cwd = ROOT): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a long step with its output on stderr, where the bench's progress goes. */
function runLoud(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', process.stderr, process.stderr] });
}

/** What `ref` names, as a full commit hash; throws with git's message when it names nothing. */
export function resolveRef(ref: string): string {
  return run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
}

/** `e3d9a5d`, or `e3d9a5d + uncommitted changes` when src/ or migrations/ differ from it. */
export function describeWorkingTree(): string {
  const head = run('git', ['rev-parse', '--short', 'HEAD']).trim();
  const dirty = run('git', ['status', '--porcelain', '--', 'src', 'migrations', 'package.json']).trim() !== '';
  return dirty ? `working tree at ${head} + uncommitted changes` : `working tree at ${head}`;
}

function removeWorktree(dir: string): void {
  if (!existsSync(dir)) return;
  try {
    run('git', ['worktree', 'remove', '--force', dir]);
  } catch {
    rmSync(dir, { recursive: true, force: true });
  }
  run('git', ['worktree', 'prune']);
}

/**
 * Packages: the ref's own lockfile with `npm ci`, unless it is the project's lockfile, in which case the project's
 * node_modules serve (a link), which saves minutes of installing and native builds.
 */
function install(dir: string, commit: string): void {
  let lockfile: string | undefined;
  try {
    lockfile = run('git', ['show', `${commit}:package-lock.json`]);
  } catch {
    lockfile = undefined;
  }
  if (lockfile !== undefined && lockfile === readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) {
    log('  same package-lock.json as the project: using its node_modules');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } else {
    log('  npm ci…');
    runLoud('npm', ['ci', '--no-audit', '--no-fund'], dir);
  }
}

/** Checks `ref` out into a temp worktree, applies `patch` if given, installs its packages, builds with `nest build`. */
export function buildRef(ref: string, side: BenchBuild['side'], patch?: string): RefBuild {
  const commit = resolveRef(ref);
  const short = commit.slice(0, 7);
  const patchName = patch === undefined ? undefined : basename(patch);
  const dir = join(tmpdir(), `leadport-${side}-${short}${patchName ? `-${patchName}` : ''}`);
  const keep = process.env.BENCH_KEEP_BUILDS === '1';
  const dist = join(dir, 'dist');
  if (keep && existsSync(join(dist, 'src', 'main.js'))) {
    log(`Reusing the ${side} build of ${ref} (${short}) in ${dir} (BENCH_KEEP_BUILDS=1)`);
  } else {
    log(`Building the ${side} ${ref} (${short}) in ${dir}…`);
    removeWorktree(dir);
    run('git', ['worktree', 'add', '--detach', dir, commit]);
    try {
      if (patch !== undefined) run('git', ['apply', resolve(patch)], dir);
      install(dir, commit);
      log('  nest build…');
      runLoud('npx', ['nest', 'build'], dir);
    } catch (error) {
      if (!keep) removeWorktree(dir);
      throw error;
    }
  }
  addProfileExit(dist);
  return {
    build: {
      side,
      description: (ref === short ? short : `${ref} (${short})`) + (patchName ? ` + ${patchName}` : ''),
      dist,
      root: dir,
    },
    remove: () => {
      if (!keep) removeWorktree(dir);
    },
  };
}
