import fs from 'node:fs';
import { round } from './stats.js';

/** Linux clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_S = 100;

/**
 * CPU time of the PostgreSQL backends serving one database (their process title names it), in ms.
 * Other databases' backends and the server's shared processes (WAL writer, checkpointer) are left out,
 * so other work on the same server does not count. 0 where /proc is not readable (not Linux).
 */
export function backendCpuMs(database: string): number {
  let ticks = 0;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.startsWith('postgres:') || !cmdline.includes(` ${database} `)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the parenthesised command: state is field 3, utime 14 and stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the backend exited between the listing and the read
    }
  }
  return (ticks / TICKS_PER_S) * 1000;
}

export interface CpuPerOrder {
  /** This Node process (the Ordo server and its background tasks, or the baseline's driver). */
  nodeMs: number;
  /** The bench database's PostgreSQL backends. */
  postgresMs: number;
}

/** CPU per second of wall time with no load: the background tasks' polling, subtracted from every window. */
export interface IdleCpu {
  nodeMsPerS: number;
  postgresMsPerS: number;
}

interface Sample {
  node: NodeJS.CpuUsage;
  pg: number;
  at: number;
}

const sample = (database: string): Sample => ({ node: process.cpuUsage(), pg: backendCpuMs(database), at: performance.now() });

function since(database: string, from: Sample): { nodeMs: number; pgMs: number; seconds: number } {
  const node = process.cpuUsage(from.node);
  return { nodeMs: (node.user + node.system) / 1000, pgMs: backendCpuMs(database) - from.pg, seconds: (performance.now() - from.at) / 1000 };
}

/** The idle CPU rate of this process and the database's backends over `ms` of doing nothing. */
export async function idleCpu(database: string, ms: number): Promise<IdleCpu> {
  const from = sample(database);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const d = since(database, from);
  return { nodeMsPerS: round(d.nodeMs / d.seconds, 2), postgresMsPerS: round(d.pgMs / d.seconds, 2) };
}

/**
 * Runs `fn` and divides the CPU it cost this process and the database's backends, minus the idle rate
 * over the same wall time, by the operations it reports.
 */
export async function withCpu<T extends { ok: number }>(database: string, idle: IdleCpu, fn: () => Promise<T>): Promise<T & { cpuPerOrder: CpuPerOrder }> {
  const from = sample(database);
  const result = await fn();
  const d = since(database, from);
  const n = Math.max(result.ok, 1);
  return {
    ...result,
    cpuPerOrder: {
      nodeMs: round(Math.max(0, d.nodeMs - idle.nodeMsPerS * d.seconds) / n, 3),
      postgresMs: round(Math.max(0, d.pgMs - idle.postgresMsPerS * d.seconds) / n, 3),
    },
  };
}

/** Mean CPU per order over windows measured with `withCpu`, weighted by their operations. */
export function meanCpu(windows: ReadonlyArray<object>): CpuPerOrder {
  let ok = 0;
  let node = 0;
  let pg = 0;
  for (const w of windows) {
    const m = w as { ok: number; cpuPerOrder?: CpuPerOrder };
    if (!m.cpuPerOrder) continue;
    ok += m.ok;
    node += m.cpuPerOrder.nodeMs * m.ok;
    pg += m.cpuPerOrder.postgresMs * m.ok;
  }
  return { nodeMs: round(node / Math.max(ok, 1), 3), postgresMs: round(pg / Math.max(ok, 1), 3) };
}
