import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectValidPlan, servedUnits } from '../../../test/support/sourcing-checks.js';
import { planCost, shipmentCost } from './cost-model.js';
import { prepareSourcing, routeOrder, routePrepared } from './route-order.js';
import type { SourcingCandidate, SourcingLine, SourcingPolicy } from './sourcing-types.js';

const SKUS = ['A', 'B', 'C', 'D'];

const bandsArb = fc.array(fc.record({ maxWeightGrams: fc.integer({ min: 300, max: 6_000 }), costMinor: fc.integer({ min: 0, max: 1_500 }) }), { minLength: 0, maxLength: 3 });

const candidateArb = (index: number): fc.Arbitrary<SourcingCandidate> =>
  fc.record({
    stock: fc.array(fc.tuple(fc.constantFrom(...SKUS), fc.integer({ min: 0, max: 5 })), { maxLength: 4 }),
    capacityLeft: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    distanceKm: fc.oneof(fc.integer({ min: 0, max: 800 }), fc.constant(Number.NaN)),
    shippingBands: bandsArb,
    handlingCostMinor: fc.integer({ min: 0, max: 600 }),
    preferenceCostMinor: fc.integer({ min: -500, max: 500 }),
    type: fc.constantFrom('store' as const, 'warehouse' as const, 'supplier' as const),
  }).map(({ stock, type, capacityLeft, ...rest }) => ({
    locationId: `loc-${String.fromCharCode(97 + ((index * 7) % 26))}${index}`,
    locationType: type,
    available: new Map(stock),
    ...(capacityLeft !== undefined ? { capacityLeft } : {}),
    ...rest,
  }));

const linesArb = (max: number): fc.Arbitrary<SourcingLine[]> =>
  fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 0, max: 4 }), weightGrams: fc.integer({ min: 0, max: 4_000 }) }), { minLength: 1, maxLength: max }).map((ls) =>
    ls.map((l, i) => ({ lineId: `line-${i}`, ...l })),
  );

const candidatesArb = (max: number): fc.Arbitrary<SourcingCandidate[]> =>
  fc.integer({ min: 0, max }).chain((n) => (n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => candidateArb(i)))));

const policyArb = (candidates: SourcingCandidate[]): fc.Arbitrary<SourcingPolicy> =>
  fc.record(
    {
      splitPenaltyMinor: fc.integer({ min: 0, max: 800 }),
      maxShipments: fc.integer({ min: 0, max: 4 }),
      shipComplete: fc.boolean(),
      allowLineSplit: fc.boolean(),
      excludedLocationIds: fc.subarray(candidates.map((c) => c.locationId)),
    },
    { requiredKeys: ['splitPenaltyMinor'] },
  );

const instanceArb = (maxLines: number, maxCandidates: number) =>
  fc.tuple(linesArb(maxLines), candidatesArb(maxCandidates)).chain(([lines, candidates]) => policyArb(candidates).map((policy) => ({ lines, candidates, policy })));

/**
 * The lexicographic optimum (most units, then least cost) by trying every assignment of whole lines to
 * locations: independent of the optimiser, affordable for a few lines and locations.
 */
function bruteForce(lines: readonly SourcingLine[], candidates: readonly SourcingCandidate[], policy: SourcingPolicy): { units: number; cost: number } {
  const excluded = new Set(policy.excludedLocationIds ?? []);
  const usable = candidates.filter((c) => !excluded.has(c.locationId) && c.shippingBands.length > 0);
  const choice = new Array<number>(lines.length).fill(-1);
  let best = { units: 0, cost: 0 };
  const visit = (i: number): void => {
    if (i < lines.length) {
      for (let c = -1; c < usable.length; c++) {
        choice[i] = c;
        visit(i + 1);
      }
      return;
    }
    const used = [...new Set(choice.filter((c) => c >= 0))];
    if (used.length > (policy.maxShipments ?? Infinity)) return;
    if (policy.shipComplete && (used.length > 1 || (used.length === 1 && choice.some((c, li) => c < 0 && lines[li]!.quantity > 0)))) return;
    const shipments = [];
    let units = 0;
    for (const c of used) {
      const mine = lines.flatMap((l, li) => (choice[li] === c && l.quantity > 0 ? [{ lineId: l.lineId, sku: l.sku, quantity: l.quantity, unitWeightGrams: l.weightGrams }] : []));
      if (mine.length === 0) return;
      const loc = usable[c]!;
      const bySku = new Map<string, number>();
      for (const l of mine) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
      const total = mine.reduce((x, l) => x + l.quantity, 0);
      if (total > (loc.capacityLeft ?? Infinity) || [...bySku].some(([sku, q]) => q > (loc.available.get(sku) ?? 0))) return;
      units += total;
      shipments.push(shipmentCost(loc, mine));
    }
    const cost = planCost(shipments, policy.splitPenaltyMinor);
    if (units > best.units || (units === best.units && cost < best.cost)) best = { units, cost };
  };
  visit(0);
  return best;
}

describe('routeOrder invariants (fast-check)', () => {
  it('always returns a valid plan: conservation, ATP, capacity, limits, exclusions, recomputed costs', () => {
    fc.assert(
      fc.property(instanceArb(7, 7), ({ lines, candidates, policy }) => {
        expectValidPlan(lines, candidates, policy, routeOrder(lines, candidates, policy));
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic and ignores the order of the candidates', () => {
    fc.assert(
      fc.property(instanceArb(6, 6), fc.integer({ min: 0, max: 1_000 }), ({ lines, candidates, policy }, rot) => {
        const plan = routeOrder(lines, candidates, policy);
        expect(routeOrder(lines, candidates, policy)).toEqual(plan);
        const k = candidates.length === 0 ? 0 : rot % candidates.length;
        expect(routeOrder(lines, [...candidates.slice(k), ...candidates.slice(0, k)].reverse(), policy)).toEqual(plan);
      }),
      { numRuns: 200 },
    );
  });

  it('answers as routeOrder when one prepared cart is routed over several candidate sets (the options of a promise)', () => {
    // The options share the locations (and their stock maps) and differ in who quotes, rates, costs, capacity.
    const repriced = fc.record({ keep: fc.boolean(), bands: bandsArb, handlingCostMinor: fc.integer({ min: 0, max: 600 }), capacityLeft: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }) });
    fc.assert(
      fc.property(instanceArb(6, 6), fc.array(fc.array(repriced, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 4 }), ({ lines, candidates, policy }, options) => {
        const problem = prepareSourcing(lines, candidates.map((c) => c.available));
        for (const option of options) {
          const kept = candidates.flatMap((c, i) => (option[i]!.keep ? [i] : []));
          const set = kept.map((i) => ({ ...candidates[i]!, shippingBands: option[i]!.bands, handlingCostMinor: option[i]!.handlingCostMinor, capacityLeft: option[i]!.capacityLeft }));
          expect(routePrepared(problem, set, kept, policy)).toEqual(routeOrder(lines, set, policy));
          // In another order (the network sorts candidates by locationId), with their indices alike.
          const reversed = [...kept].reverse();
          expect(routePrepared(problem, [...set].reverse(), reversed, policy)).toEqual(routeOrder(lines, set, policy));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds the same optimum as exhaustive search on small orders of whole lines', () => {
    fc.assert(
      fc.property(instanceArb(4, 4), ({ lines, candidates, policy }) => {
        const whole = { ...policy, allowLineSplit: false };
        const plan = routeOrder(lines, candidates, whole);
        const best = bruteForce(lines, candidates, whole);
        expect(servedUnits(plan)).toBe(best.units);
        expect(plan.totalCostMinor).toBe(best.cost);
        expect(plan.optimal).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('stays valid on orders beyond the exact limit (heuristic), never claiming a gap below 0', () => {
    fc.assert(
      fc.property(instanceArb(18, 8), ({ lines, candidates, policy }) => {
        const many = [...lines, ...lines.map((l) => ({ ...l, lineId: `${l.lineId}-bis` }))];
        const plan = routeOrder(many, candidates, policy);
        expectValidPlan(many, candidates, policy, plan);
      }),
      { numRuns: 60 },
    );
  });
});
