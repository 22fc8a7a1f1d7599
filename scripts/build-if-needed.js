#!/usr/bin/env node
// Builds dist/ when it is missing or older than any source file, so `npm start` works on a fresh clone.
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', 'src', 'main.js');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const sources = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => join(root, p));
if (!existsSync(stamp) || sources.some((p) => existsSync(p) && newest(p) > statSync(stamp).mtimeMs)) {
  execSync('npm run --silent build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  // An incremental build leaves unchanged outputs alone: mark this build done, or every later run would build again.
  const now = new Date();
  utimesSync(stamp, now, now);
}
