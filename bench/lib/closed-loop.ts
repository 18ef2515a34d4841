import { LatencyRecorder, round } from './stats.js';

export interface LoopOptions {
  concurrency: number;
  durationMs: number;
  /** Run (and discard) this long first so JIT, pools and caches are warm. */
  warmupMs: number;
}

export interface LoopResult {
  /** Completed operations per second over the measured window. */
  rate: number;
  ok: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** First failure message, so a broken baseline is visible instead of silently fast. */
  firstError?: string;
}

/**
 * Closed-loop driver: `concurrency` workers each call `op` back to back until the deadline. Bounded by
 * time, never by success, so a failing op cannot make it spin forever past the window.
 * `op(worker)` resolves true when the operation did what it should (e.g. the stock was granted).
 */
export async function runClosedLoop(opts: LoopOptions, op: (worker: number) => Promise<boolean>): Promise<LoopResult> {
  if (opts.warmupMs > 0) await drive(opts.concurrency, opts.warmupMs, op, undefined);
  const latency = new LatencyRecorder();
  const started = performance.now();
  const counts = await drive(opts.concurrency, opts.durationMs, op, latency);
  const seconds = (performance.now() - started) / 1000;
  const { p50, p99 } = latency.summary();
  return {
    rate: round(counts.ok / seconds, 1),
    ok: counts.ok,
    failed: counts.failed,
    seconds: round(seconds, 2),
    p50Ms: round(p50, 3),
    p99Ms: round(p99, 3),
    ...(counts.firstError ? { firstError: counts.firstError } : {}),
  };
}

async function drive(
  concurrency: number,
  durationMs: number,
  op: (worker: number) => Promise<boolean>,
  latency: LatencyRecorder | undefined,
): Promise<{ ok: number; failed: number; firstError?: string }> {
  const deadline = performance.now() + durationMs;
  const counts: { ok: number; failed: number; firstError?: string } = { ok: 0, failed: 0 };
  const worker = async (id: number): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      let good = false;
      try {
        good = await op(id);
      } catch (err) {
        counts.firstError ??= err instanceof Error ? err.message : String(err);
      }
      latency?.add(performance.now() - t0);
      if (good) counts.ok++;
      else counts.failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  return counts;
}
