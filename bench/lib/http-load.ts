import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round } from './stats.js';

export interface HttpLoadOptions {
  /** Base URL, e.g. http://127.0.0.1:41234 (loopback only). */
  url: string;
  connections: number;
  pipelining?: number;
  /** Seconds to run; ignored when `amount` is set. */
  durationS: number;
  /** Stop after exactly this many requests (conservation tests). */
  amount?: number;
  /**
   * Requests per second (an open loop: Poisson arrivals, each latency counted from its arrival; at most
   * `connections` in flight, the rest wait for one) instead of as fast as answered (autocannon).
   */
  overallRate?: number;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Request bodies chosen at random per request. */
  bodies?: string[];
  /** Request paths chosen at random per request (default: the URL's path). */
  paths?: string[];
  /** A header set to a value unique to each request (e.g. 'idempotency-key'). */
  uniqueHeader?: string;
}

export interface HttpLoadResult {
  /** 2xx responses per second over the run. */
  rate: number;
  /** 2xx responses. */
  ok: number;
  /** Non-2xx responses, socket errors and timeouts. */
  failed: number;
  requestsTotal: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statusCodes: Record<string, number>;
}

interface WorkerReply {
  requestsTotal: number;
  durationS: number;
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  ok2xx: number;
  statusCodes: Record<string, number>;
}

/** Runs the load in a child process (http-load-worker.mjs), so the load generator does not share the server's event loop. */
export function runHttpLoad(opts: HttpLoadOptions): Promise<HttpLoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(opts.url)) throw new Error(`load is for loopback only, got ${opts.url}`);
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./http-load-worker.mjs', import.meta.url)), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let replied = false;
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!replied) reject(new Error(`load generator exited with code ${code} before reporting`));
    });
    child.send(opts);
    child.once('message', (message) => {
      replied = true;
      const r = message as WorkerReply;
      const seconds = Math.max(r.durationS, 0.001);
      resolve({
        rate: round(r.ok2xx / seconds, 1),
        ok: r.ok2xx,
        failed: r.non2xx + r.errors + r.timeouts,
        requestsTotal: r.requestsTotal,
        ok2xx: r.ok2xx,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        seconds: round(seconds, 2),
        p50Ms: r.latencyP50,
        p99Ms: r.latencyP99,
        maxMs: r.latencyMax,
        statusCodes: r.statusCodes,
      });
    });
  });
}
