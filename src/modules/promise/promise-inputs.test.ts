import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.js';
import { nextRead } from './next-read.js';
import { PromiseInputs } from './promise-inputs.js';
import type { PromiseInputRows } from './promise-inputs.repository.js';

/** A read whose round trips the test completes by hand, recording what each was asked and what it saw. */
function manualReads<A>() {
  const sent: Array<{ args: A[]; seen: number; finish(): void; fail(err: Error): void }> = [];
  let committed = 0;
  const read = (args: A[]): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const seen = committed;
      sent.push({ args, seen, finish: () => resolve(seen), fail: reject });
    });
  return { sent, read, commit: () => committed++ };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('nextRead', () => {
  it('an idle caller reads at once; callers arriving during a read share the next one', async () => {
    const db = manualReads<string>();
    const shared = nextRead(db.read);
    const a = shared('a');
    await settle();
    expect(db.sent.map((s) => s.args)).toEqual([['a']]);
    const b = shared('b');
    const c = shared('c');
    await settle();
    expect(db.sent).toHaveLength(1);
    db.sent[0]!.finish();
    await settle();
    expect(db.sent.map((s) => s.args)).toEqual([['a'], ['b', 'c']]);
    db.sent[1]!.finish();
    expect(await Promise.all([a, b, c])).toEqual([0, 0, 0]);
  });

  it('never answers a caller from a read sent before it asked: a change committed in between is seen', async () => {
    const db = manualReads<string>();
    const shared = nextRead(db.read);
    const before = shared('before');
    await settle();
    db.commit();
    const after = shared('after');
    db.sent[0]!.finish();
    await settle();
    db.sent[1]!.finish();
    expect(await before).toBe(0);
    expect(await after).toBe(1);
  });

  it('a failed read fails its callers only; the next batch still goes', async () => {
    const db = manualReads<string>();
    const shared = nextRead(db.read);
    const a = shared('a');
    await settle();
    const b = shared('b');
    db.sent[0]!.fail(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    await settle();
    db.sent[1]!.finish();
    expect(await b).toBe(0);
  });
});

describe('PromiseInputs', () => {
  const rows: PromiseInputRows = {
    products: [
      { sku: 'A', weightGrams: 100, backorderable: true, preorderable: false, active: true },
      { sku: 'B', weightGrams: 200, backorderable: false, preorderable: false, active: true },
    ],
    // 5 + 10 units of A arrive at wh-1; 4 are already backordered there: 1 then 10 stay free to promise.
    arrivals: [
      { sku: 'A', locationId: 'wh-1', quantity: 5, expectedAt: 1_000 },
      { sku: 'B', locationId: 'wh-1', quantity: 3, expectedAt: 1_500 },
      { sku: 'A', locationId: 'wh-1', quantity: 10, expectedAt: 2_000 },
    ],
    waiting: new Map([['A@wh-1', 4]]),
    loads: [
      { locationId: 'store-1', day: '2026-11-23', units: 2 },
      { locationId: 'store-1', day: '2026-11-24', units: 7 },
    ],
    dataVersion: 'v1',
  };

  it('gives each concurrent promise its share of one statement: its SKUs, supply net of backorders, loads from its day', async () => {
    const asked: Array<{ skus: readonly string[]; fromDay: string }> = [];
    const read = async (_db: unknown, skus: readonly string[], fromDay: string) => {
      asked.push({ skus, fromDay });
      return rows;
    };
    const inputs = new PromiseInputs({} as Db, read);
    const first = inputs.read(['A'], '2026-11-24');
    const [a, b, ab] = await Promise.all([first, inputs.read(['B'], '2026-11-23'), inputs.read(['A', 'B'], '2026-11-24')]);
    // The first read went alone (idle); the two that arrived during it shared the second statement.
    expect(asked).toEqual([{ skus: ['A'], fromDay: '2026-11-24' }, { skus: ['B', 'A'], fromDay: '2026-11-23' }]);
    expect([...a.products.keys()]).toEqual(['A']);
    expect(a.supply).toEqual([
      { sku: 'A', locationId: 'wh-1', quantity: 1, expectedAt: 1_000 },
      { sku: 'A', locationId: 'wh-1', quantity: 10, expectedAt: 2_000 },
    ]);
    expect(a.loads).toEqual(new Map([['store-1', new Map([['2026-11-24', 7]])]]));
    expect(b.supply).toEqual([{ sku: 'B', locationId: 'wh-1', quantity: 3, expectedAt: 1_500 }]);
    expect(b.loads).toEqual(new Map([['store-1', new Map([['2026-11-23', 2], ['2026-11-24', 7]])]]));
    expect([...ab.products.keys()].sort()).toEqual(['A', 'B']);
    expect(ab.supply).toHaveLength(3);
    expect([a.dataVersion, b.dataVersion]).toEqual(['v1', 'v1']);
  });
});
