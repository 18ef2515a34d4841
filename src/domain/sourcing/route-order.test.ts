import { describe, expect, it } from 'vitest';
import { generateInstance } from './instance-generator.js';
import { routeOrder } from './route-order.js';
import { expectValidPlan, servedUnits } from '../../../test/support/sourcing-checks.js';
import type { SourcingCandidate, SourcingLine, SourcingPolicy, WeightBand } from './sourcing-types.js';

// Zone rate cards: near destinations pay less per parcel.
const NEAR: WeightBand[] = [
  { maxWeightGrams: 1_000, costMinor: 390 },
  { maxWeightGrams: 5_000, costMinor: 590 },
];
const FAR: WeightBand[] = [
  { maxWeightGrams: 1_000, costMinor: 690 },
  { maxWeightGrams: 5_000, costMinor: 990 },
];

function location(id: string, type: SourcingCandidate['locationType'], stock: Record<string, number>, extra: Partial<SourcingCandidate> = {}): SourcingCandidate {
  const byType = { store: [350, 0, NEAR], warehouse: [150, 0, FAR], supplier: [350, 900, FAR], marketplace_seller: [300, 600, FAR] } as const;
  const [handling, preference, bands] = byType[type];
  return {
    locationId: id,
    locationType: type,
    available: new Map(Object.entries(stock)),
    distanceKm: 10,
    shippingBands: bands,
    handlingCostMinor: handling,
    preferenceCostMinor: preference,
    ...extra,
  };
}

const bob: SourcingLine[] = [
  { lineId: 'jacket', sku: 'JACKET-M', quantity: 1, weightGrams: 900 },
  { lineId: 'scarf', sku: 'SCARF', quantity: 1, weightGrams: 200 },
];
const homeDelivery: SourcingPolicy = { splitPenaltyMinor: 400 };
const from = (plan: ReturnType<typeof routeOrder>): string[] => plan.shipments.map((s) => s.locationId);

describe("Bob's fallback chain (J1), driven by cost", () => {
  const nearest = (stock: Record<string, number>) => location('store-bastille', 'store', stock, { distanceKm: 1.2, shippingBands: NEAR, handlingCostMinor: 300 });
  const next = (stock: Record<string, number>) => location('store-republique', 'store', stock, { distanceKm: 3.4, shippingBands: NEAR, handlingCostMinor: 350 });
  const warehouse = (stock: Record<string, number>) => location('dc-orleans', 'warehouse', stock, { distanceKm: 120 });
  const supplier = (stock: Record<string, number>) => location('supplier-tissage', 'supplier', stock, { distanceKm: 480 });
  const both = { 'JACKET-M': 5, SCARF: 5 };

  it('ships from the nearest store when it holds everything', () => {
    const plan = routeOrder(bob, [supplier(both), warehouse(both), next(both), nearest(both)], homeDelivery);
    expect(from(plan)).toEqual(['store-bastille']);
    expect(plan).toMatchObject({ optimal: true, gap: 0, method: 'exact-dp', shortfalls: [] });
    expect(plan.totalCostMinor).toBe(300 + 590);
    expectValidPlan(bob, [supplier(both), warehouse(both), next(both), nearest(both)], homeDelivery, plan);
  });

  it('falls back to the next store when the nearest lacks an item (one parcel beats a split)', () => {
    const plan = routeOrder(bob, [supplier(both), warehouse(both), next(both), nearest({ SCARF: 2 })], homeDelivery);
    expect(from(plan)).toEqual(['store-republique']);
    expect(plan.alternatives.map((a) => a.description)).toContain('each line from the nearest location holding it');
    const nearestFirst = plan.alternatives.find((a) => a.description.startsWith('each line from the nearest'))!;
    expect(nearestFirst.totalCostMinor).toBeGreaterThan(plan.totalCostMinor);
  });

  it('falls back to the warehouse when no store holds the items', () => {
    const plan = routeOrder(bob, [supplier(both), warehouse(both), next({}), nearest({ SCARF: 1 })], homeDelivery);
    expect(from(plan)).toEqual(['dc-orleans']);
    expect(plan.totalCostMinor).toBe(150 + 990);
  });

  it('drop-ships from the supplier when nothing is in the network', () => {
    const plan = routeOrder(bob, [supplier(both), warehouse({}), next({}), nearest({})], homeDelivery);
    expect(from(plan)).toEqual(['supplier-tissage']);
    expect(plan.shipments[0]!.breakdown.preferenceMinor).toBe(900);
  });

  it('reports every line short when nothing is anywhere', () => {
    const plan = routeOrder(bob, [supplier({}), warehouse({}), next({}), nearest({})], homeDelivery);
    expect(plan.shipments).toEqual([]);
    expect(plan.shortfalls).toEqual([
      { lineId: 'jacket', sku: 'JACKET-M', quantity: 1 },
      { lineId: 'scarf', sku: 'SCARF', quantity: 1 },
    ]);
    expect(plan).toMatchObject({ totalCostMinor: 0, optimal: true, alternatives: [] });
  });

  it('prefers a store holding everything to the warehouse in a dearer zone', () => {
    const plan = routeOrder(bob, [warehouse(both), next(both)], homeDelivery);
    expect(from(plan)).toEqual(['store-republique']);
  });
});

describe('constraints', () => {
  const lines: SourcingLine[] = [
    { lineId: '1', sku: 'A', quantity: 1, weightGrams: 500 },
    { lineId: '2', sku: 'B', quantity: 1, weightGrams: 500 },
  ];
  const stores = [location('s1', 'store', { A: 1 }), location('s2', 'store', { B: 1 }), location('w1', 'warehouse', { A: 9, B: 9 }, { handlingCostMinor: 2_000 })];

  it('splits when two cheap stores beat one dear warehouse, and consolidates under maxShipments = 1', () => {
    const split = routeOrder(lines, stores, { splitPenaltyMinor: 100 });
    expect(from(split)).toEqual(['s1', 's2']);
    expect(split.totalCostMinor).toBe(2 * (350 + 390) + 100);
    const single = routeOrder(lines, stores, { splitPenaltyMinor: 100, maxShipments: 1 });
    expect(from(single)).toEqual(['w1']);
  });

  it('serves the most units it can when the shipment limit binds', () => {
    const plan = routeOrder(lines, stores.slice(0, 2), { splitPenaltyMinor: 100, maxShipments: 1 });
    expect(plan.shipments).toHaveLength(1);
    expect(plan.shortfalls).toHaveLength(1);
    expect(plan.optimal).toBe(true);
  });

  it('ship-complete: everything from one location or nothing', () => {
    expect(from(routeOrder(lines, stores, { splitPenaltyMinor: 0, shipComplete: true }))).toEqual(['w1']);
    const none = routeOrder(lines, stores.slice(0, 2), { splitPenaltyMinor: 0, shipComplete: true });
    expect(none.shipments).toEqual([]);
    expect(none.shortfalls.map((s) => s.lineId)).toEqual(['1', '2']);
  });

  it('never uses an excluded location (a store that refused the order)', () => {
    const plan = routeOrder(lines, stores, { splitPenaltyMinor: 100, excludedLocationIds: ['s1'] });
    expect(from(plan)).not.toContain('s1');
    expectValidPlan(lines, stores, { splitPenaltyMinor: 100, excludedLocationIds: ['s1'] }, plan);
  });

  it('keeps one shipment per location when capacity fits each line but not both', () => {
    // The subset DP alone would send both lines from s1 as two shipments; the repair finds the true optimum.
    const cands = [
      location('s1', 'store', { A: 5, B: 5 }, { capacityLeft: 1, preferenceCostMinor: -300 }),
      location('s2', 'store', { B: 5 }),
      location('w1', 'warehouse', { A: 5, B: 5 }, { handlingCostMinor: 2_000 }),
    ];
    const policy = { splitPenaltyMinor: 0 };
    const plan = routeOrder(lines, cands, policy);
    expect(new Set(from(plan)).size).toBe(plan.shipments.length);
    expect(plan.optimal).toBe(true);
    expectValidPlan(lines, cands, policy, plan);
    // Optimum: s1 takes A (cheapest with its preference), B comes from s2.
    expect(plan.shipments.map((s) => [s.locationId, s.lines.map((l) => l.lineId)])).toEqual([
      ['s1', ['1']],
      ['s2', ['2']],
    ]);
    expect(plan.totalCostMinor).toBe(350 - 300 + 390 + (350 + 390));
  });

  it('shares one SKU stock between two lines of the same SKU', () => {
    const twice: SourcingLine[] = [
      { lineId: '1', sku: 'A', quantity: 2, weightGrams: 100 },
      { lineId: '2', sku: 'A', quantity: 2, weightGrams: 100 },
    ];
    const cands = [location('s1', 'store', { A: 3 }), location('s2', 'store', { A: 2 })];
    const plan = routeOrder(twice, cands, homeDelivery);
    expect(servedUnits(plan)).toBe(4);
    expectValidPlan(twice, cands, homeDelivery, plan);
  });

  it('divides a line no single location has only when allowed', () => {
    const big: SourcingLine[] = [{ lineId: '1', sku: 'A', quantity: 5, weightGrams: 400 }];
    const cands = [location('s1', 'store', { A: 3 }), location('s2', 'store', { A: 1 }), location('s3', 'store', { A: 3 })];
    const whole = routeOrder(big, cands, homeDelivery);
    expect(whole.shortfalls).toEqual([{ lineId: '1', sku: 'A', quantity: 5 }]);
    const divided = routeOrder(big, cands, { ...homeDelivery, allowLineSplit: true });
    expect(divided.shortfalls).toEqual([]);
    expect(from(divided)).toEqual(['s1', 's3']);
    expect(divided.shipments.map((s) => s.lines[0]!.quantity).sort()).toEqual([2, 3]);
    expect(divided.optimal).toBe(true);
  });

  it('leaves short only what the whole network lacks when dividing', () => {
    const big: SourcingLine[] = [{ lineId: '1', sku: 'A', quantity: 9, weightGrams: 400 }];
    const plan = routeOrder(big, [location('s1', 'store', { A: 3 }), location('s2', 'store', { A: 2 })], { ...homeDelivery, allowLineSplit: true });
    expect(plan.shortfalls).toEqual([{ lineId: '1', sku: 'A', quantity: 4 }]);
  });
});

describe('large orders', () => {
  it('uses the heuristic above the exact limit, with a valid plan and a reported gap', () => {
    const inst = generateInstance({ lines: 20, candidates: 120, seed: 7, maxShipmentsShare: 0, shipCompleteShare: 0, exclusionShare: 0 });
    const plan = routeOrder(inst.lines, inst.candidates, inst.policy);
    expect(plan.method).toBe('heuristic');
    expect(plan.gap).toBeGreaterThanOrEqual(0);
    expect(plan.gap).toBeLessThanOrEqual(1);
    expectValidPlan(inst.lines, inst.candidates, inst.policy, plan);
  });

  it('is deterministic and independent of the candidates order', () => {
    const inst = generateInstance({ lines: 16, candidates: 60, seed: 11 });
    const a = routeOrder(inst.lines, inst.candidates, inst.policy);
    const b = routeOrder(inst.lines, [...inst.candidates].reverse(), inst.policy);
    expect(b).toEqual(a);
  });

  it('ships nothing when the policy allows no shipment, on the heuristic path too', () => {
    // fast-check's counterexample (route-order.properties.test.ts, seed 1109842998): 24 lines, past the
    // exact search, whose grouped start opened a shipment at loc-j5 although maxShipments was 0.
    const twelve: SourcingLine[] = (
      [['A', 4, 0], ['B', 3, 3190], ['A', 0, 3861], ['B', 2, 3991], ['C', 4, 999], ['C', 2, 1309], ['A', 2, 2184], ['A', 3, 0], ['A', 1, 1], ['D', 3, 336], ['B', 2, 1525], ['D', 2, 3999]] as const
    ).map(([sku, quantity, weightGrams], i) => ({ lineId: `line-${i}`, sku, quantity, weightGrams }));
    const lines = [...twelve, ...twelve.map((l) => ({ ...l, lineId: `${l.lineId}-bis` }))];
    const candidates = [
      location('loc-h1', 'warehouse', { B: 4, A: 2 }, { capacityLeft: 2 }),
      location('loc-c4', 'warehouse', {}, { capacityLeft: 5 }),
      location('loc-j5', 'store', { C: 4, D: 1, B: 3 }, { capacityLeft: 6, shippingBands: [{ maxWeightGrams: 919, costMinor: 1284 }] }),
    ];
    const plan = routeOrder(lines, candidates, { splitPenaltyMinor: 0, maxShipments: 0 });
    expect(plan.method).toBe('heuristic');
    expect(plan.shipments).toEqual([]);
    expect(plan.shortfalls.reduce((a, s) => a + s.quantity, 0)).toBe(lines.reduce((a, l) => a + l.quantity, 0));
  });
});
