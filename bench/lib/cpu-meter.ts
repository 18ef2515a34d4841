import fs from 'node:fs';
import { round } from './stats.js';

/** Linux clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream kernel). */
export const TICKS_PER_S = 100;

/** Every process /proc lists: its parent, its name (the kernel's comm) and CPU time in clock ticks (none where /proc is not readable). */
export function processes(): Map<number, { ppid: number; name: string; ticks: number; startedAt: number }> {
  const found = new Map<number, { ppid: number; name: string; ticks: number; startedAt: number }>();
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return found;
  }
  for (const pid of pids) {
    try {
      found.set(Number(pid), parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')));
    } catch {
      // the process exited between the listing and the read
    }
  }
  return found;
}

/** CPU time in clock ticks of each thread of a process, by thread id (/proc/<pid>/task). */
export function threadTicks(pid: number): Map<number, number> {
  const found = new Map<number, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      found.set(Number(tid), parseStat(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')).ticks);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return found;
}

/** A /proc stat line (a process's or a thread's). */
function parseStat(stat: string): { ppid: number; name: string; ticks: number; startedAt: number } {
  // Fields after the parenthesised command: state is field 3, ppid 4, utime 14, stime 15, starttime 22.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks: Number(fields[11]) + Number(fields[12]), startedAt: Number(fields[19]) };
}

/** The last ticks read of every backend seen, by database, keyed by pid and start time (pids are reused). */
const backendsSeen = new Map<string, Map<string, number>>();

/**
 * CPU time of the PostgreSQL backends serving one database (their process title names it), in ms, since
 * the first call for it: a backend that exited since (a pool closing an idle connection) keeps the ticks
 * last read of it, so the figure never goes back (it used to lose an exited backend's whole life, and a
 * window's difference came out negative). Other databases' backends and the server's shared processes
 * (WAL writer, checkpointer) are left out, so other work on the same server does not count. 0 where
 * /proc is not readable (not Linux).
 */
export function backendCpuMs(database: string): number {
  let seen = backendsSeen.get(database);
  if (!seen) backendsSeen.set(database, (seen = new Map()));
  for (const [pid, p] of processes()) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.startsWith('postgres:') && cmdline.includes(` ${database} `)) seen.set(`${pid}@${p.startedAt}`, p.ticks);
    } catch {
      // the backend exited meanwhile
    }
  }
  let ticks = 0;
  for (const t of seen.values()) ticks += t;
  return (ticks / TICKS_PER_S) * 1000;
}

/**
 * CPU time of a process and every process below it (an Ordo server's primary and its workers), in ms.
 * A child that has exited no longer counts.
 */
export function processTreeCpuMs(rootPid: number): number {
  const all = processes();
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = all.get(p)?.ppid) if (p === rootPid) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, p] of all) if (inTree(pid)) ticks += p.ticks;
  return (ticks / TICKS_PER_S) * 1000;
}

/** This process's CPU time in ms. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface CpuPerOrder {
  /** The Node processes: this one (an in-process Ordo server and its background tasks, the baseline's driver) and a deployed Ordo's. */
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
  node: number;
  pg: number;
  at: number;
}

/** Node CPU in ms: this process's by default, or the caller's sum (with a deployed server's processes). */
export type NodeCpu = () => number;

const sample = (database: string, nodeCpu: NodeCpu): Sample => ({ node: nodeCpu(), pg: backendCpuMs(database), at: performance.now() });

function since(database: string, nodeCpu: NodeCpu, from: Sample): { nodeMs: number; pgMs: number; seconds: number } {
  return { nodeMs: nodeCpu() - from.node, pgMs: backendCpuMs(database) - from.pg, seconds: (performance.now() - from.at) / 1000 };
}

/** The idle CPU rate of the Node processes and the database's backends over `ms` of doing nothing. */
export async function idleCpu(database: string, ms: number, nodeCpu: NodeCpu = ownCpuMs): Promise<IdleCpu> {
  const from = sample(database, nodeCpu);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const d = since(database, nodeCpu, from);
  // A backend that exits meanwhile (a pool's idle time-out) takes its CPU time with it: never below 0.
  return { nodeMsPerS: round(Math.max(0, d.nodeMs) / d.seconds, 2), postgresMsPerS: round(Math.max(0, d.pgMs) / d.seconds, 2) };
}

/**
 * Runs `fn` and divides the CPU it cost this process and the database's backends, minus the idle rate
 * over the same wall time, by the operations it reports.
 */
export async function withCpu<T extends { ok: number }>(
  database: string,
  idle: IdleCpu,
  fn: () => Promise<T>,
  nodeCpu: NodeCpu = ownCpuMs,
  /** The orders the CPU was spent on (a lead-in's too). */
  orders: (result: T) => number = (result) => result.ok,
): Promise<T & { cpuPerOrder: CpuPerOrder }> {
  const from = sample(database, nodeCpu);
  const result = await fn();
  const d = since(database, nodeCpu, from);
  const n = Math.max(orders(result), 1);
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

/** The whole machine's CPU time so far (/proc/stat): busy and total, in clock ticks summed over its CPUs. */
export interface MachineCpu {
  busy: number;
  all: number;
}

export function machineCpu(): MachineCpu {
  try {
    // "cpu  user nice system idle iowait irq softirq steal ...": idle and iowait are the time not busy.
    const ticks = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const all = ticks.reduce((a, b) => a + b, 0);
    return { busy: all - ticks[3]! - (ticks[4] ?? 0), all };
  } catch {
    return { busy: 0, all: 0 };
  }
}

/** CPUs busy on average since `from` (e.g. 1.6 of 2): every process, the load generator included. */
export function machineCoresBusySince(from: MachineCpu, cpus: number): number {
  const now = machineCpu();
  return now.all > from.all ? round(((now.busy - from.busy) / (now.all - from.all)) * cpus, 2) : 0;
}

/**
 * Waits until the machine is quiet (at most `maxBusy` CPUs busy over `windowMs`), at most `timeoutMs`: the
 * previous figure's leftovers (a dropped database's checkpoint, autovacuum, its consumers' catch-up) must
 * not land in the next figure's windows. Returns how long it waited and how busy the last window was.
 */
export async function waitForQuiet(cpus: number, { maxBusy = 0.15, windowMs = 1_000, timeoutMs = 30_000 } = {}): Promise<{ waitedS: number; busy: number }> {
  const started = performance.now();
  for (;;) {
    const from = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const busy = machineCoresBusySince(from, cpus);
    const waitedS = round((performance.now() - started) / 1000, 1);
    if (busy <= maxBusy || performance.now() - started >= timeoutMs) return { waitedS, busy };
  }
}
