import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippingCost } from './cost-model.js';
import { dominatedCandidates } from './dominance.js';
import { relaxedOptimum } from './exact-partition.js';
import { solveExact } from './exact-search.js';
import { buildItems, buildNetwork, buildSpace, itemMaxAt, stateQuantities, stockOf, type Network, type Space } from './sourcing-space.js';
import type { SourcingCandidate, SourcingLine, SourcingPolicy } from './sourcing-types.js';

/**
 * Dominance pruning is exact: on random dense orders (where it is attempted) the relaxation's cheapest
 * location per sub-order, its layers and the exact optimiser's blocks are the same with and without the
 * dominated candidates, and every skipped candidate really is dominated.
 */

const SKUS = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];

const CARDS = [
  [{ maxWeightGrams: 1_000, costMinor: 390 }, { maxWeightGrams: 5_000, costMinor: 590 }, { maxWeightGrams: 20_000, costMinor: 1_190 }],
  [{ maxWeightGrams: 1_000, costMinor: 490 }, { maxWeightGrams: 5_000, costMinor: 720 }, { maxWeightGrams: 20_000, costMinor: 1_450 }],
  [{ maxWeightGrams: 2_000, costMinor: 560 }, { maxWeightGrams: 10_000, costMinor: 840 }],
  [{ maxWeightGrams: 3_000, costMinor: 600 }],
];

const candidateArb = (index: number, fractional: boolean): fc.Arbitrary<SourcingCandidate> =>
  fc
    .record({
      // Dense: most locations hold most SKUs, as stores of a broad assortment do.
      stock: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: SKUS.length, maxLength: SKUS.length }),
      holds: fc.array(fc.boolean(), { minLength: SKUS.length, maxLength: SKUS.length }),
      capacityLeft: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
      card: fc.integer({ min: 0, max: CARDS.length - 1 }),
      // Few distinct values: equal costs (ties, settled by location order) are common.
      handlingCostMinor: fc.constantFrom(200, 300, 400, 530),
      preferenceCostMinor: fractional ? fc.double({ min: -200, max: 200, noNaN: true }) : fc.constantFrom(-100, 0, 100, 230),
    })
    .map(({ stock, holds, capacityLeft, card, ...costs }) => ({
      locationId: `loc-${String(index).padStart(3, '0')}`,
      locationType: 'store' as const,
      available: new Map(SKUS.flatMap((sku, k) => (holds[k] || stock[k]! > 1 ? [[sku, 1 + stock[k]!] as [string, number]] : []))),
      ...(capacityLeft !== undefined ? { capacityLeft } : {}),
      distanceKm: 10,
      shippingBands: CARDS[card]!,
      ...costs,
    }));

const instanceArb = fc.record({
  lines: fc
    .array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 2 }), weightGrams: fc.integer({ min: 0, max: 6_000 }) }), { minLength: 6, maxLength: 8 })
    .map((ls): SourcingLine[] => ls.map((l, i) => ({ lineId: `line-${i}`, ...l }))),
  candidates: fc
    // At least 100 locations: smaller networks are enumerated whole (dominance.ts, MIN_CANDIDATES).
    // One network in five has a fractional preference somewhere (pruning must then stay off).
    .tuple(fc.integer({ min: 100, max: 130 }), fc.integer({ min: 0, max: 4 }).map((k) => k === 0))
    .chain(([n, fractional]) => fc.tuple(...Array.from({ length: n }, (_, i) => candidateArb(i, fractional && i % 7 === 0)))),
  policy: fc.record({ splitPenaltyMinor: fc.integer({ min: 0, max: 500 }), maxShipments: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }), allowLineSplit: fc.boolean() }),
});

function prepared(lines: SourcingLine[], candidates: SourcingCandidate[], policy: SourcingPolicy): { network: Network; space: Space } | undefined {
  const network = buildNetwork(candidates, policy);
  const items = buildItems(lines, network, () => policy.allowLineSplit === true);
  let states = 1;
  for (const it of items) states *= it.split ? it.quantity + 1 : 2;
  return states > 4096 ? undefined : { network, space: buildSpace(network, items) };
}

/** Can `c` ship sub-order `s` alone, and at what cost (undefined: it cannot) — from first principles. */
function costAt(network: Network, space: Space, c: number, s: number): number | undefined {
  const q = stateQuantities(space, s);
  const bySku = new Map<string, number>();
  let units = 0;
  for (const [i, it] of space.items.entries()) {
    if (q[i]! === 0) continue;
    if (q[i]! > itemMaxAt(network, c, it)) return undefined;
    bySku.set(it.sku, (bySku.get(it.sku) ?? 0) + q[i]!);
    units += q[i]!;
  }
  if (units > network.capacity[c]! || [...bySku].some(([sku, n]) => n > stockOf(network, sku)[c]!)) return undefined;
  return network.fixed[c]! + shippingCost(network.tables[network.tableOf[c]!]!, space.weight[s]!);
}

describe('dominance pruning', () => {
  it('leaves the relaxation and the exact optimum unchanged, block for block', () => {
    let pruned = 0;
    fc.assert(
      fc.property(instanceArb, ({ lines, candidates, policy }) => {
        const p = prepared(lines, candidates, policy);
        if (!p) return;
        const { network, space } = p;
        space.skip = undefined;
        const full = relaxedOptimum(network, space);
        const fullPlan = solveExact(network, space);
        space.skip = dominatedCandidates(network, space);
        if (space.skip?.some((x, c) => x === 1 && (space.cover[c] !== 0 || space.countMax[c] !== 0))) pruned++;
        const skipped = relaxedOptimum(network, space);
        expect([...skipped.best.cost]).toEqual([...full.best.cost]);
        expect([...skipped.best.candidate]).toEqual([...full.best.candidate]);
        expect(skipped.layers.map((l) => [...l])).toEqual(full.layers.map((l) => [...l]));
        expect(solveExact(network, space)).toEqual(fullPlan);
      }),
      { numRuns: 80 },
    );
    // The property is about something: pruning happened on a good share of the instances.
    expect(pruned).toBeGreaterThan(25);
  });

  it('skips only candidates another one beats (or ties and precedes) on every sub-order they can ship', () => {
    fc.assert(
      fc.property(instanceArb, ({ lines, candidates, policy }) => {
        const p = prepared(lines, candidates, policy);
        if (!p) return;
        const { network, space } = p;
        const skip = dominatedCandidates(network, space);
        for (let l = 0; l < network.candidates.length; l++) {
          if (!skip?.[l] || (space.cover[l] === 0 && space.countMax[l] === 0)) continue;
          const dominated = network.candidates.some((_, d) => {
            if (d === l) return false;
            for (let s = 1; s < space.N; s++) {
              const cl = costAt(network, space, l, s);
              if (cl === undefined) continue;
              const cd = costAt(network, space, d, s);
              if (cd === undefined || cd > cl || (cd === cl && d > l)) return false;
            }
            return true;
          });
          expect(dominated).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('prunes only networks of 100 locations or more, and never when costs are not whole minor units (sums would round)', () => {
    const lines: SourcingLine[] = SKUS.slice(0, 6).map((sku, i) => ({ lineId: `l${i}`, sku, quantity: 1, weightGrams: 500 }));
    const everything = new Map(SKUS.map((sku) => [sku, 5]));
    const candidates: SourcingCandidate[] = Array.from({ length: 120 }, (_, i) => ({
      locationId: `loc-${String(i).padStart(3, '0')}`,
      locationType: 'store',
      available: everything,
      distanceKm: 10,
      shippingBands: CARDS[0]!,
      handlingCostMinor: 300 + i,
      preferenceCostMinor: i === 5 ? 0.5 : 0,
    }));
    const integral = prepared(lines, candidates.map((c) => ({ ...c, preferenceCostMinor: 0 })), { splitPenaltyMinor: 100 })!;
    expect(dominatedCandidates(integral.network, integral.space)?.filter((x) => x === 1).length).toBe(119);
    const fractional = prepared(lines, candidates, { splitPenaltyMinor: 100 })!;
    expect(dominatedCandidates(fractional.network, fractional.space)).toBeUndefined();
    const small = prepared(lines, candidates.slice(0, 99).map((c) => ({ ...c, preferenceCostMinor: 0 })), { splitPenaltyMinor: 100 })!;
    expect(dominatedCandidates(small.network, small.space)).toBeUndefined();
  });
});
