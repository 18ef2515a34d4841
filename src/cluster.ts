import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';

/** Set for the one worker that runs the background jobs. */
export const WORKER_LEADER_ENV = 'ORDO_WORKER_LEADER';
const RESTART_DELAY_MS = 1_000;

/**
 * The primary of Ordo on the PostgreSQL server: forks the `ORDO_WORKERS` HTTP workers (they share the
 * port), keeps one of them the leader that runs the background jobs (the jobs are safe with several
 * processes, but one set is enough), replaces a worker that dies, and on SIGTERM/SIGINT lets every worker
 * drain before exiting.
 * Each worker keeps its own in-memory availability view, so stock seen by one is seen by the others
 * one poll later (ORDO_POLL_INTERVAL_MS), as with several Ordo instances behind a load balancer.
 */
export function runPrimary(config: Config): void {
  const started = Date.now();
  const roles = new Map<Worker, boolean>();
  let stopping = false;
  let listening = 0;

  const fork = (leader: boolean): void => {
    const env: Record<string, string> = { [WORKER_LEADER_ENV]: leader ? '1' : '0' };
    // Every worker's clock reads what the primary's would: the start instant plus the time since then.
    if (config.clockStart !== undefined) env.ORDO_CLOCK_START = new Date(config.clockStart + (Date.now() - started)).toISOString();
    roles.set(cluster.fork(env), leader);
  };

  cluster.on('listening', () => {
    if (++listening === config.workers) {
      console.log(`Ordo is listening on http://localhost:${config.port} (API docs at /docs) with ${config.workers} worker process${config.workers === 1 ? '' : 'es'}, database: PostgreSQL server`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    const leader = roles.get(worker) ?? false;
    roles.delete(worker);
    if (stopping) {
      if (roles.size === 0) process.exit(0);
      return;
    }
    console.error(`Ordo worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another in ${RESTART_DELAY_MS} ms`);
    setTimeout(() => fork(leader), RESTART_DELAY_MS);
  });

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (roles.size === 0) process.exit(0);
    for (const worker of roles.keys()) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  for (let i = 0; i < config.workers; i++) fork(i === 0);
}

/**
 * A worker's young generation may grow to 32 MB semi-spaces (V8's default stops at 16 MB): a request's
 * garbage (parsed body, a promise's options and plans, the serialised response) dies with it, and under
 * the promise bench a worker ran ~16 scavenges a second, each pausing every request in flight. Measured
 * on 5-line promises in process: ~9 % less CPU per promise (64 MB gave nothing more). An operator's own
 * setting, on the command line or in NODE_OPTIONS, wins.
 */
export function workerExecArgv(execArgv: readonly string[], nodeOptions = ''): string[] {
  const set = [...execArgv, nodeOptions].some((a) => a.includes('--max-semi-space-size'));
  return set ? [...execArgv] : [...execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`];
}
const WORKER_SEMI_SPACE_MB = 32;
