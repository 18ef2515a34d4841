import { LatencyRecorder, round } from './stats.js';

export interface OpenLoopOptions {
  /** Arrivals per second (a Poisson process). */
  rate: number;
  /** Arrivals measured, after the lead-in. */
  durationMs: number;
  /** Arrivals sent the same way first, with no gap, and reported apart (e.g. the write surge after a checkpoint). */
  leadInMs: number;
}

export interface OpenLoopPhase {
  ok: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface OpenLoopResult extends OpenLoopPhase {
  /** Answered operations per second, over the time from the measured arrivals' start to the last answer. */
  rate: number;
  leadIn: OpenLoopPhase;
  /** First failure message, so a broken operation is visible instead of silently fast. */
  firstError?: string;
}

/**
 * An open loop in this process: `op` started at each arrival of a Poisson process at `rate` per second
 * whatever the earlier ones are doing (what bounds concurrency is the caller's, e.g. a pg Pool's
 * connections, the rest queueing there), each latency counted from its arrival, so a system that falls
 * behind is charged for it (the HTTP equivalent is http-load-worker.mjs's openLoop, in a process of its own).
 */
export async function runOpenLoop(opts: OpenLoopOptions, op: () => Promise<unknown>): Promise<OpenLoopResult> {
  const phases = { leadIn: new LatencyRecorder(), measured: new LatencyRecorder() };
  const failed = { leadIn: 0, measured: 0 };
  let firstError: string | undefined;
  const calls: Promise<void>[] = [];
  const start = performance.now();
  const [from, end] = [start + opts.leadInMs, start + opts.leadInMs + opts.durationMs];
  for (let at = start; at < end; at += -Math.log(1 - Math.random()) * (1000 / opts.rate)) {
    const wait = at - performance.now();
    // Behind schedule, still let the answers in between arrivals.
    await new Promise((resolve) => (wait > 1 ? setTimeout(resolve, wait) : setImmediate(resolve)));
    const arrival = at;
    const phase = arrival < from ? 'leadIn' : 'measured';
    calls.push(
      op().then(
        () => phases[phase].add(performance.now() - arrival),
        (err: unknown) => {
          failed[phase]++;
          firstError ??= err instanceof Error ? err.message : String(err);
        },
      ),
    );
  }
  await Promise.all(calls);
  const seconds = (performance.now() - from) / 1000;
  return {
    rate: round(phases.measured.count / Math.max(seconds, 1e-3), 1),
    ...summary(phases.measured, failed.measured),
    leadIn: summary(phases.leadIn, failed.leadIn),
    ...(firstError ? { firstError } : {}),
  };
}

function summary(latency: LatencyRecorder, failed: number): OpenLoopPhase {
  const { p50, p99, max } = latency.summary();
  return { ok: latency.count, failed, p50Ms: round(p50, 1), p99Ms: round(p99, 1), maxMs: round(max, 1) };
}
