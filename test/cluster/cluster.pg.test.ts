import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const ADMIN = 'cluster-test-admin-key';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function start(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ORDO_DEMO: '0', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ORDO_ADMIN_KEY: ADMIN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The worker processes of a primary: its children running main.ts (tsx also starts an esbuild service). */
function workersOf(primary: ChildProcess): number[] {
  const out = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(primary.pid)], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .filter((line) => line.includes('src/main.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('ORDO_WORKERS: one port served by several processes (node:cluster)', () => {
  let db: TestDatabase;
  let primary: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 2 });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    primary = start({ DATABASE_URL: db.url!, ORDO_WORKERS: '2', PORT: String(port) });
    primary.stdout!.on('data', (d) => (output += d));
    primary.stderr!.on('data', (d) => (output += d));
    await until('the cluster to listen', () => (output.includes('with 2 worker processes') ? true : undefined), 90_000);
  }, 120_000);

  afterAll(async () => {
    if (primary.exitCode === null) {
      primary.kill('SIGKILL');
      await exitOf(primary);
    }
    await db.close();
  });

  it('answers on one port from two worker processes that share the database', async () => {
    expect(workersOf(primary)).toHaveLength(2);
    const created = await fetch(`${url}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'integration', role: 'integration' }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    // New connections are spread over the workers: the key written through one is known to all.
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${url}/v1/locations`, { headers: { authorization: `Bearer ${secret}`, connection: 'close' } }).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('replaces a worker that dies, and stops cleanly on SIGTERM', async () => {
    const [victim, survivor] = workersOf(primary);
    process.kill(victim!, 'SIGKILL');
    const replaced = await until('a new worker', () => {
      const now = workersOf(primary);
      return now.length === 2 && !now.includes(victim!) ? now : undefined;
    });
    expect(replaced).toContain(survivor);
    await until('the new worker to answer', async () => {
      const all = await Promise.all(Array.from({ length: 8 }, () => fetch(`${url}/health/ready`, { headers: { connection: 'close' } }).then((r) => r.ok)));
      return all.every(Boolean) ? true : undefined;
    });
    primary.kill('SIGTERM');
    expect(await exitOf(primary)).toBe(0);
  });
});

describe('one worker on the PostgreSQL server', () => {
  it('runs under a primary, with the young generation workers are tuned for', async () => {
    const db = await createTestDatabase({ poolSize: 2 });
    const port = await freePort();
    const primary = start({ DATABASE_URL: db.url!, PORT: String(port) });
    let output = '';
    primary.stdout!.on('data', (d) => (output += d));
    primary.stderr!.on('data', (d) => (output += d));
    try {
      await until('the worker to listen', () => (output.includes('with 1 worker process,') ? true : undefined), 90_000);
      const workers = workersOf(primary);
      expect(workers).toHaveLength(1);
      const args = spawnSync('ps', ['-o', 'args=', '-p', String(workers[0])], { encoding: 'utf8' }).stdout;
      expect(args).toContain('--max-semi-space-size=32');
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      primary.kill('SIGTERM');
      expect(await exitOf(primary)).toBe(0);
    } finally {
      if (primary.exitCode === null) primary.kill('SIGKILL');
      await exitOf(primary);
      await db.close();
    }
  }, 120_000);
});

describe('ORDO_WORKERS on the embedded database', () => {
  it('is refused with a clear message: PGlite belongs to one process', async () => {
    const child = start({ ORDO_WORKERS: '2', DATABASE_URL: '', PORT: String(await freePort()), ORDO_DATA_DIR: '/tmp/ordo-cluster-refused' });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    expect(await exitOf(child)).not.toBe(0);
    expect(err).toContain('ORDO_WORKERS=2 needs the PostgreSQL server');
  }, 60_000);
});
