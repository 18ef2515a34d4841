import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighs } from '../../../test/support/milp-oracle.js';
import { buildBatchMilp, readBatchSolution, type HeldOrder, type PooledStock } from './batch-reoptimise.js';
import { planCost, shipmentCost } from './cost-model.js';
import { generateInstance, seededRandom } from './instance-generator.js';
import { routeOrder } from './route-order.js';
import type { AssignedLine, SourcingCandidate, SourcingLine, SourcingPolicy, WeightBand } from './sourcing-types.js';

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

const BANDS: WeightBand[] = [
  { maxWeightGrams: 1_000, costMinor: 400 },
  { maxWeightGrams: 5_000, costMinor: 650 },
];

/** Orders sourced one by one as they arrive, each taking stock from what the previous ones left. */
function realTime(arrivals: { orderId: string; lines: SourcingLine[]; policy: SourcingPolicy }[], network: SourcingCandidate[]) {
  const left = new Map(network.map((c) => [c.locationId, { available: new Map(c.available), capacityLeft: c.capacityLeft }]));
  return arrivals.map((a) => {
    const candidates = network.map((c) => {
      const l = left.get(c.locationId)!;
      const now: SourcingCandidate = { ...c, available: new Map(l.available) };
      if (l.capacityLeft !== undefined) now.capacityLeft = l.capacityLeft;
      return now;
    });
    const plan = routeOrder(a.lines, candidates, a.policy);
    for (const s of plan.shipments) {
      const l = left.get(s.locationId)!;
      for (const line of s.lines) l.available.set(line.sku, l.available.get(line.sku)! - line.quantity);
      if (l.capacityLeft !== undefined) l.capacityLeft -= s.lines.reduce((x, line) => x + line.quantity, 0);
    }
    return plan;
  });
}

function solveBatch(orders: HeldOrder[], pool: PooledStock[]) {
  const model = buildBatchMilp(orders, pool);
  const result = highs.solve(model.lp, { mip_rel_gap: 0, output_flag: false });
  expect(result.Status).toBe('Optimal');
  const plans = readBatchSolution(model, orders, result.Columns as Record<string, { Primal: number }>);
  return { plans, objective: result.ObjectiveValue + model.objectiveOffset };
}

/** Re-costs a batch plan with the cost model and checks the joint stock and capacity. */
function costOf(orders: HeldOrder[], plans: Map<string, AssignedLine[]>[], pool: PooledStock[]) {
  const used = new Map<string, number>();
  const picked = new Map<string, number>();
  let total = 0;
  let shipments = 0;
  plans.forEach((plan, o) => {
    const order = orders[o]!;
    const weight = new Map(order.lines.map((l) => [l.lineId, l.weightGrams]));
    const costed = [...plan].map(([locationId, lines]) => {
      for (const l of lines) {
        used.set(`${locationId}/${l.sku}`, (used.get(`${locationId}/${l.sku}`) ?? 0) + l.quantity);
        picked.set(locationId, (picked.get(locationId) ?? 0) + l.quantity);
      }
      return shipmentCost(order.candidates.find((c) => c.locationId === locationId)!, lines.map((l) => ({ ...l, unitWeightGrams: weight.get(l.lineId)! })));
    });
    expect(costed.reduce((x, s) => x + s.lines.reduce((y, l) => y + l.quantity, 0), 0)).toBeGreaterThanOrEqual(order.servedUnits);
    total += planCost(costed, order.policy.splitPenaltyMinor);
    shipments += costed.length;
  });
  for (const p of pool) {
    for (const [sku, q] of p.available) expect(used.get(`${p.locationId}/${sku}`) ?? 0).toBeLessThanOrEqual(q);
    if (p.capacityLeft !== undefined) expect(picked.get(p.locationId) ?? 0).toBeLessThanOrEqual(p.capacityLeft);
  }
  return { total, shipments };
}

describe('batch re-optimisation of held orders (HiGHS)', () => {
  it('gives the contested unit to the order that needs it to ship complete', () => {
    const store = (id: string, stock: Record<string, number>): SourcingCandidate => ({
      locationId: id,
      locationType: 'store',
      available: new Map(Object.entries(stock)),
      distanceKm: 5,
      shippingBands: BANDS,
      handlingCostMinor: 300,
      preferenceCostMinor: 0,
    });
    // s1 is a little cheaper, so the first order takes its only shirt; the second then needs two parcels.
    const network = [{ ...store('s1', { SHIRT: 1, JEANS: 1 }), handlingCostMinor: 250 }, store('s2', { SHIRT: 1 })];
    const policy = { splitPenaltyMinor: 300 };
    const arrivals = [
      { orderId: 'A', lines: [{ lineId: 'a1', sku: 'SHIRT', quantity: 1, weightGrams: 300 }], policy },
      {
        orderId: 'B',
        lines: [
          { lineId: 'b1', sku: 'SHIRT', quantity: 1, weightGrams: 300 },
          { lineId: 'b2', sku: 'JEANS', quantity: 1, weightGrams: 600 },
        ],
        policy,
      },
    ];
    const held = realTime(arrivals, network);
    expect(held.map((p) => p.shipments.length)).toEqual([1, 2]);
    const orders = arrivals.map((a) => ({ ...a, candidates: network, servedUnits: a.lines.length }));
    const pool = network.map((c) => ({ locationId: c.locationId, available: c.available }));
    const { plans, objective } = solveBatch(orders, pool);
    expect(plans.map((p) => [...p.keys()])).toEqual([['s2'], ['s1']]);
    const { total, shipments } = costOf(orders, plans, pool);
    expect(shipments).toBe(2);
    expect(total).toBeCloseTo(objective, 6);
    expect(total).toBeLessThan(held.reduce((x, p) => x + p.totalCostMinor, 0));
  });

  it('never costs more than the real-time plans, keeps every order served, stays within the pooled stock', { timeout: 120_000 }, () => {
    const rnd = seededRandom(42);
    for (let round = 0; round < 4; round++) {
      const base = generateInstance({ lines: 1, candidates: 12, seed: 300 + round, capacityShare: 0.6, maxShipmentsShare: 0, shipCompleteShare: 0, lineSplitShare: 0, exclusionShare: 0 });
      // A small assortment makes orders compete for the same SKUs.
      const skus = ['S1', 'S2', 'S3', 'S4'];
      const network = base.candidates.map((c) => ({ ...c, available: new Map(skus.filter(() => rnd() < 0.45).map((s) => [s, 1 + Math.floor(rnd() * 2)] as const)) }));
      const arrivals = Array.from({ length: 8 }, (_, o) => ({
        orderId: `O${o}`,
        lines: skus.filter(() => rnd() < 0.5).map((sku, i) => ({ lineId: `O${o}-${i}`, sku, quantity: 1, weightGrams: 200 + Math.floor(rnd() * 1500) })),
        policy: { splitPenaltyMinor: 300 },
      })).filter((a) => a.lines.length > 0);
      const held = realTime(arrivals, network);
      const orders = arrivals.map((a, i) => ({ ...a, candidates: network, servedUnits: held[i]!.shipments.reduce((x, s) => x + s.lines.reduce((y, l) => y + l.quantity, 0), 0) }));
      const pool = network.map((c) => ({ locationId: c.locationId, available: c.available, ...(c.capacityLeft !== undefined ? { capacityLeft: c.capacityLeft } : {}) }));
      const { plans, objective } = solveBatch(orders, pool);
      const { total } = costOf(orders, plans, pool);
      expect(total).toBeCloseTo(objective, 6);
      expect(total).toBeLessThanOrEqual(held.reduce((x, p) => x + p.totalCostMinor, 0) + 1e-6);
    }
  });
});
