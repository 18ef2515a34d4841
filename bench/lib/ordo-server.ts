import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BENCH_ADMIN_KEY } from './ordo-instance.js';

export interface OrdoServer {
  /** http://127.0.0.1:<port> */
  url: string;
  workers: number;
  /** The primary's process id (its workers are its children). */
  pid: number;
  close(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * ORDO_DB_POOL_SIZE of each worker when Ordo shares the box's cores with PostgreSQL (as here): 3 database
 * connections per core in all, split between the workers. Past a few active connections per core
 * PostgreSQL spends its CPU on contention (lock manager, WAL, row locks) rather than on the work: on this
 * 2-CPU box a worker per core with the default pool of 12 doubled PostgreSQL's CPU per order (4.6 vs
 * 2.2 ms, see deploymentFor in order-intake.ts), and quick promise runs gave 2,959-3,376 promises/s, p99
 * 20-24 ms at 3 per worker against 2,376-3,026/s, p99 25-33 ms at 12.
 */
export function poolPerWorker(cores: number, workers: number): number {
  return Math.max(2, Math.round((3 * cores) / workers));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * ORDO_BENCH_SERVER_NODE_ARGS: Node flags for the server's processes (the primary passes them on to its
 * workers), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile Ordo as deployed under a probe's load
 * (NODE_OPTIONS refuses --cpu-prof).
 */
function serverNodeArgs(): string[] {
  return (process.env.ORDO_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/**
 * Ordo as `npm start` runs it, in its own processes: `src/main.ts` with `ORDO_WORKERS` HTTP worker
 * processes sharing one port (node:cluster), on the bench database, no demo, background jobs running
 * in the leader. What a figure measures through it is the product as deployed on this machine's cores.
 */
export async function startOrdoServer(databaseUrl: string, workers: number, env: Record<string, string> = {}): Promise<OrdoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...serverNodeArgs(), '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ORDO_WORKERS: String(workers),
      ORDO_ADMIN_KEY: BENCH_ADMIN_KEY,
      ORDO_DEMO: '0',
      ORDO_INVENTORY_CHECK_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Ordo exited with code ${child.exitCode} before answering`);
    try {
      // Every worker must answer: ask as many times as there are workers, the kernel spreads connections.
      const ok = await Promise.all(Array.from({ length: workers * 2 }, () => fetch(`${url}/health/ready`).then((r) => r.ok)));
      if (ok.every(Boolean)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Ordo did not become ready within 180 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    workers,
    pid: child.pid!,
    close: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
