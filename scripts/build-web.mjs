#!/usr/bin/env node
// Builds the web apps (web/ -> web/dist) when a source is newer than the last build, so `npm start` and
// `npm test` always serve the current UI without rebuilding for nothing. `--force` always builds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const web = path.resolve(import.meta.dirname, '../web');
const stamp = path.join(web, 'dist/index.html');

function newest(dir) {
  let latest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    latest = Math.max(latest, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return latest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const sources = Math.max(newest(web), fs.statSync(path.resolve(web, '../package-lock.json')).mtimeMs);
if (process.argv.includes('--force') || sources > built) {
  console.log('Building the web apps (web/ -> web/dist)…');
  const run = spawnSync('npx', ['vite', 'build', '--config', path.join(web, 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
