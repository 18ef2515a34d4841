import { describe, expect, it } from 'vitest';
import { runOpenLoop } from '../../bench/lib/open-loop.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server of one connection taking `serviceMs` per call: calls queue behind each other. */
function oneAtATime(serviceMs: number): () => Promise<unknown> {
  let tail: Promise<unknown> = Promise.resolve();
  return () => (tail = tail.then(() => sleep(serviceMs)));
}

/** The in-process open loop (bench/lib/open-loop.ts) behind the one-call baseline's p99 at the goal's rate. */
describe('the in-process open loop', () => {
  it('starts calls at their arrivals, whatever the earlier ones are doing, and splits the lead-in from the measured arrivals', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const r = await runOpenLoop({ rate: 400, durationMs: 600, leadInMs: 300 }, async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await sleep(50);
      inFlight--;
    });
    // ~240 measured and ~120 lead-in arrivals (Poisson: wide bounds); each took its 50 ms.
    expect(r.ok).toBeGreaterThan(150);
    expect(r.ok).toBeLessThan(350);
    expect(r.leadIn.ok).toBeGreaterThan(60);
    expect(r.leadIn.ok).toBeLessThan(200);
    expect(r.failed + r.leadIn.failed).toBe(0);
    expect(r.p50Ms).toBeGreaterThanOrEqual(49);
    expect(r.maxMs).toBeGreaterThanOrEqual(r.p99Ms);
    // A closed loop would have one call at a time here; arrivals every ~2.5 ms for 50 ms each overlap.
    expect(maxInFlight).toBeGreaterThan(5);
  });

  it('charges the time a call queued behind the others to its latency: a system falling behind shows', async () => {
    // 100 arrivals a second for 10 ms each is a server at ~100 % busy; at 25 ms each it falls behind by
    // ~15 ms per arrival, so the last of ~40 arrivals waits ~0.6 s.
    const r = await runOpenLoop({ rate: 100, durationMs: 400, leadInMs: 0 }, oneAtATime(25));
    expect(r.ok).toBeGreaterThan(20);
    expect(r.maxMs).toBeGreaterThan(250);
    expect(r.p99Ms).toBeGreaterThan(200);
    // Answered per second is the server's pace (1 per 25 ms), not the arrivals'.
    expect(r.rate).toBeLessThan(60);
  });

  it('counts latency from the arrival, not from when the loop got round to sending it', async () => {
    // Each call holds the loop's thread 40 ms (as a busy client would): arrivals every ~10 ms are sent
    // later and later, and that delay is the call's too. ~40 arrivals need ~1.6 s for 0.4 s of arrivals,
    // so the last ones wait far over 100 ms even when the Poisson draw gives only 20 (counted from the
    // send, each would take ~40 ms).
    const r = await runOpenLoop({ rate: 100, durationMs: 400, leadInMs: 0 }, async () => {
      const until = performance.now() + 40;
      while (performance.now() < until);
    });
    expect(r.maxMs).toBeGreaterThan(100);
  });

  it('counts failures apart, with the first error, and does not count them as answered', async () => {
    let n = 0;
    const r = await runOpenLoop({ rate: 300, durationMs: 300, leadInMs: 100 }, async () => {
      await sleep(1);
      if (++n % 3 === 0) throw new Error(`call ${n} refused`);
    });
    const total = r.ok + r.failed + r.leadIn.ok + r.leadIn.failed;
    expect(total).toBe(n);
    expect(r.failed + r.leadIn.failed).toBe(Math.floor(n / 3));
    expect(r.firstError).toBe('call 3 refused');
  });
});
