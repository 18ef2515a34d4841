import { round } from './stats.js';

/** One measured window of either side, as both load drivers report it. */
export interface Window {
  rate: number;
  ok: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Merged extends Window {
  windows: Window[];
}

/** Rate over all windows; p50 averaged, p99 the worst window's (never flattered by the merge). */
export function mergeWindows(windows: Window[]): Merged {
  const ok = windows.reduce((s, w) => s + w.ok, 0);
  const seconds = windows.reduce((s, w) => s + w.seconds, 0);
  return {
    rate: seconds > 0 ? round(ok / seconds, 1) : 0,
    ok,
    failed: windows.reduce((s, w) => s + w.failed, 0),
    seconds: round(seconds, 2),
    p50Ms: round(windows.reduce((s, w) => s + w.p50Ms, 0) / Math.max(1, windows.length), 3),
    p99Ms: Math.max(...windows.map((w) => w.p99Ms)),
    windows,
  };
}

/**
 * Baseline and product interleaved A, B, B, A (PERFORMANCE.md §10): on a shared 2-core box the load of
 * other processes drifts, and interleaving spreads that drift over both sides instead of one.
 * `between` runs before every window (e.g. a CHECKPOINT).
 */
export async function abba<A extends Window, B extends Window>(
  baseline: () => Promise<A>,
  product: () => Promise<B>,
  between?: () => Promise<void>,
): Promise<{ baseline: Merged; product: Merged }> {
  const a: A[] = [];
  const b: B[] = [];
  for (const side of ['a', 'b', 'b', 'a'] as const) {
    await between?.();
    if (side === 'a') a.push(await baseline());
    else b.push(await product());
  }
  return { baseline: mergeWindows(a), product: mergeWindows(b) };
}
