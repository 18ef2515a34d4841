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
  /**
   * With `overallRate`: the first seconds of arrivals, sent the same way with no gap before the measured
   * `durationS`, are reported apart (`HttpLoadResult.leadIn`), e.g. the write surge after a checkpoint.
   */
  leadInS?: number;
  /** With `overallRate`: answer every measured request's arrival and latency too (`HttpLoadResult.series`). */
  series?: boolean;
}

/** One answered request of an open loop: when it arrived (ms since the run started, `HttpLoadResult.startedAt`) and how long it took. */
export interface AnsweredRequest {
  arrivalMs: number;
  latencyMs: number;
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
  /** With `leadInS`: the lead-in's requests, not in the figures above. */
  leadIn?: LeadIn;
  /** With `series`: every answered request, in order of answer, and when the measured run started (epoch ms). */
  series?: AnsweredRequest[];
  startedAt?: number;
}

export interface LeadIn {
  requestsTotal: number;
  ok: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** What the worker counts of a run's requests (the measured ones, or the lead-in's). */
interface WorkerCounts {
  requestsTotal: number;
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  ok2xx: number;
  statusCodes: Record<string, number>;
}

interface WorkerReply extends WorkerCounts {
  durationS: number;
  leadIn?: WorkerCounts;
  series?: AnsweredRequest[];
  startedAt?: number;
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
        failed: failures(r),
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
        ...(r.leadIn ? { leadIn: { requestsTotal: r.leadIn.requestsTotal, ok: r.leadIn.ok2xx, failed: failures(r.leadIn), p50Ms: r.leadIn.latencyP50, p99Ms: r.leadIn.latencyP99, maxMs: r.leadIn.latencyMax } } : {}),
        ...(r.series ? { series: r.series, startedAt: r.startedAt } : {}),
      });
    });
  });
}

const failures = (c: WorkerCounts): number => c.non2xx + c.errors + c.timeouts;
