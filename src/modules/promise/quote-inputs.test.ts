import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/database.js';
import { ManualClock } from '../../domain/shared/clock.js';
import { QuoteInputs } from './quote-inputs.js';
import type { PromiseInputRows } from './promise-inputs.repository.js';

const facts = (sku: string) => ({ sku, weightGrams: 100, backorderable: true, preorderable: false, active: true });
const FROM_DAY = '2026-11-26';

/** A database of two SKUs with supply at two locations, answering reads when the test says. */
function database() {
  const reads: Array<{ skus: readonly string[]; fromDay: string; answer(): void }> = [];
  let units = 1;
  const rows = (skus: readonly string[]): PromiseInputRows => ({
    products: skus.filter((s) => s === 'A' || s === 'B').map(facts),
    // Statement order: earliest arrival, SKU, location.
    arrivals: [
      { sku: 'A', locationId: 'wh', quantity: 5, expectedAt: 1 },
      { sku: 'B', locationId: 'wh', quantity: 4, expectedAt: 1 },
      { sku: 'A', locationId: 'store', quantity: 3, expectedAt: 2 },
      { sku: 'B', locationId: 'store', quantity: 6, expectedAt: 3 },
    ].filter((a) => skus.includes(a.sku)),
    waiting: new Map([['A@wh', 2]]),
    loads: [{ locationId: 'store', day: '2026-11-27', units }],
    dataVersion: 'v1',
  });
  const read = (_db: unknown, skus: readonly string[], fromDay: string) =>
    new Promise<PromiseInputRows>((resolve) => {
      const seen = rows(skus);
      reads.push({ skus, fromDay, answer: () => resolve(seen) });
    });
  return { reads, read, rows, load: (n: number) => (units = n) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('QuoteInputs', () => {
  let now = 0;
  const at = (ms: number) => (now = ms);
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  afterEach(() => at(0));

  const setup = () => {
    const db = database();
    const quotes = new QuoteInputs({} as Db, new ManualClock('2026-11-27T09:00:00Z'), { maxAgeMs: 100, factsRefreshMs: 500, idleSkuMs: 60_000 }, db.read);
    const poll = async () => {
      const done = quotes.refresh();
      await settle();
      db.reads.at(-1)!.answer();
      await done;
    };
    return { db, quotes, poll };
  };

  it('serves nothing before a poll; the poll reads the SKUs quotes asked for, from yesterday in UTC', async () => {
    const { db, quotes, poll } = setup();
    expect(quotes.serve(['A', 'B'], FROM_DAY)).toBeUndefined();
    await poll();
    expect(db.reads.map((r) => [r.skus, r.fromDay])).toEqual([[['A', 'B'], FROM_DAY]]);
    expect(quotes.serve(['B', 'A'], FROM_DAY)).toBeDefined();
  });

  it("gives a cart what a fresh read of its SKUs alone gives: their facts, each SKU's net supply in statement order, loads, version", async () => {
    const { db, quotes, poll } = setup();
    quotes.serve(['A', 'B', 'C'], FROM_DAY);
    await poll();
    const served = quotes.serve(['B', 'A'], FROM_DAY)!;
    expect([...served.products.keys()].sort()).toEqual(['A', 'B']);
    // 2 units of A wait at wh: 3 of its 5 are left.
    expect(served.supply).toEqual([
      { sku: 'B', locationId: 'wh', quantity: 4, expectedAt: 1 },
      { sku: 'B', locationId: 'store', quantity: 6, expectedAt: 3 },
      { sku: 'A', locationId: 'wh', quantity: 3, expectedAt: 1 },
      { sku: 'A', locationId: 'store', quantity: 3, expectedAt: 2 },
    ]);
    expect(quotes.serve(['B'], FROM_DAY)!.supply).toEqual(db.rows(['B']).arrivals);
    expect(quotes.serve(['C'], FROM_DAY)!.products.size).toBe(0);
    expect(served.loads).toEqual(new Map([['store', new Map([['2026-11-27', 1]])]]));
    expect(served.dataVersion).toBe('v1');
  });

  it('is never more than maxAgeMs behind: the age counts from when the poll was sent, not answered', async () => {
    const { db, quotes } = setup();
    quotes.serve(['A'], FROM_DAY);
    at(1_000);
    const done = quotes.refresh();
    await settle();
    at(1_060);
    db.reads[0]!.answer();
    await done;
    at(1_100);
    expect(quotes.serve(['A'], FROM_DAY)).toBeDefined();
    at(1_101);
    expect(quotes.serve(['A'], FROM_DAY)).toBeUndefined();
  });

  it("each poll reads the pick loads; a SKU's facts when first asked for and once factsRefreshMs old", async () => {
    const { db, quotes, poll } = setup();
    quotes.serve(['A'], FROM_DAY);
    await poll();
    at(300);
    quotes.serve(['A', 'B'], FROM_DAY);
    db.load(2);
    await poll();
    expect(quotes.serve(['A'], FROM_DAY)!.loads.get('store')?.get('2026-11-27')).toBe(2);
    at(499);
    await poll();
    at(500);
    await poll();
    expect(db.reads.map((r) => r.skus)).toEqual([['A'], ['B'], [], ['A']]);
  });

  it('reads for a SKU the poll did not read, and for another day', async () => {
    const { quotes, poll } = setup();
    quotes.serve(['A'], FROM_DAY);
    await poll();
    expect(quotes.serve(['A', 'B'], FROM_DAY)).toBeUndefined();
    expect(quotes.serve(['A'], '2026-11-27')).toBeUndefined();
    await poll();
    expect(quotes.serve(['A', 'B'], FROM_DAY)).toBeDefined();
  });

  it('after a change of this process, quotes read fresh; a poll sent before the change is not installed', async () => {
    const { db, quotes, poll } = setup();
    quotes.serve(['A'], FROM_DAY);
    await poll();
    const before = quotes.refresh();
    await settle();
    quotes.invalidate();
    db.load(3);
    db.reads.at(-1)!.answer();
    await before;
    expect(quotes.serve(['A'], FROM_DAY)).toBeUndefined();
    await poll();
    expect(quotes.serve(['A'], FROM_DAY)!.loads.get('store')?.get('2026-11-27')).toBe(3);
  });

  it('stops polling a SKU no quote asked for in idleSkuMs', async () => {
    const { db, quotes, poll } = setup();
    quotes.serve(['A'], FROM_DAY);
    at(30_000);
    quotes.serve(['B'], FROM_DAY);
    at(61_000);
    await poll();
    expect(db.reads.at(-1)!.skus).toEqual(['B']);
    at(100_000);
    await quotes.refresh();
    expect(db.reads).toHaveLength(1);
    expect(quotes.serve(['B'], FROM_DAY)).toBeUndefined();
  });
});
