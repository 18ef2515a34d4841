#!/usr/bin/env node
// The whole test suite: unit tests, then the integration suites on embedded PGlite and on the
// PostgreSQL server (ORDO_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
// Without a reachable server the postgres project is left out with a warning, except under CI
// where it is required. Ends with the plain "N passed, N failed" line CI reads.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';

const url = process.env.ORDO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
async function serverReachable() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

// The browser suites (test/web) drive the built web apps: build them first when their sources changed.
const build = spawnSync('node', ['scripts/build-web.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const projects = ['unit', 'pglite'];
if (await serverReachable()) projects.push('postgres');
else if (process.env.CI) {
  console.error(`CI: PostgreSQL is not reachable at ${url}; the server suites are required.`);
  process.exit(1);
} else console.warn(`\n!! PostgreSQL not reachable at ${url}: running unit and PGlite suites only.\n`);

fs.mkdirSync('test-results', { recursive: true });
const out = 'test-results/vitest.json';
fs.rmSync(out, { force: true });
const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit' });
let passed = 0;
let failed = 0;
if (fs.existsSync(out)) {
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
}
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`\nprojects: ${projects.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && passed > 0 ? 0 : 1);
