import { describe, expect, it } from 'vitest';
import { changedPositions, chooseReplans, costOfPlan, type PlanByLocation, type ReplanUnit } from './batch-plan-choice.js';
import type { SourcingCandidate } from './sourcing-types.js';

const BANDS = [
  { maxWeightGrams: 1_000, costMinor: 400 },
  { maxWeightGrams: 5_000, costMinor: 650 },
];
const site = (id: string, handlingCostMinor = 300): SourcingCandidate => ({
  locationId: id,
  locationType: 'store',
  available: new Map(),
  distanceKm: 5,
  shippingBands: BANDS,
  handlingCostMinor,
  preferenceCostMinor: 0,
});
const network = [site('s1', 250), site('s2'), site('s3', 2_000)];
const plan = (entries: Record<string, Array<[string, string, number]>>): PlanByLocation =>
  new Map(Object.entries(entries).map(([loc, lines]) => [loc, lines.map(([lineId, sku, quantity]) => ({ lineId, sku, quantity }))]));

function unit(id: string, lines: Array<[string, string, number]>, current: PlanByLocation, proposed: PlanByLocation): ReplanUnit {
  return { id, lines: lines.map(([lineId, sku, weightGrams]) => ({ lineId, sku, quantity: 1, weightGrams })), candidates: network, policy: { splitPenaltyMinor: 300 }, current, proposed };
}

describe('choosing the plans a batch re-optimisation keeps', () => {
  it('costs a plan with the cost model: handling, parcels by weight band, split penalty', () => {
    const u = unit('B', [['b1', 'SHIRT', 300], ['b2', 'JEANS', 600]], new Map(), new Map());
    expect(costOfPlan(u, plan({ s2: [['b1', 'SHIRT', 1]], s1: [['b2', 'JEANS', 1]] }))).toEqual({ costMinor: 300 + 400 + 250 + 400 + 300, shipments: 2 });
    expect(costOfPlan(u, plan({ s1: [['b1', 'SHIRT', 1], ['b2', 'JEANS', 1]] }))).toEqual({ costMinor: 250 + 400, shipments: 1 });
    // A location that cannot ship to the destination any more: no cost, the unit is left alone.
    expect(costOfPlan(u, plan({ s9: [['b1', 'SHIRT', 1]] }))).toBeUndefined();
  });

  it('keeps a swap where one order pays a little more so the other ships complete, judged together', () => {
    const a = unit('A', [['a1', 'SHIRT', 300]], plan({ s1: [['a1', 'SHIRT', 1]] }), plan({ s2: [['a1', 'SHIRT', 1]] }));
    const b = unit('B', [['b1', 'SHIRT', 300], ['b2', 'JEANS', 600]], plan({ s2: [['b1', 'SHIRT', 1]], s1: [['b2', 'JEANS', 1]] }), plan({ s1: [['b1', 'SHIRT', 1], ['b2', 'JEANS', 1]] }));
    const [choice, ...rest] = chooseReplans([a, b]);
    expect(rest).toEqual([]);
    expect(choice!.unitIds.sort()).toEqual(['A', 'B']);
    expect(choice!.perUnit.get('A')).toEqual({ before: { costMinor: 650, shipments: 1 }, after: { costMinor: 700, shipments: 1 } });
    expect(choice!.perUnit.get('B')).toEqual({ before: { costMinor: 1650, shipments: 2 }, after: { costMinor: 650, shipments: 1 } });
    expect(choice!.before.costMinor - choice!.after.costMinor).toBe(950);
    // Alone, A's proposal is dearer: never kept.
    expect(chooseReplans([a])).toEqual([]);
  });

  it('keeps a lone proposal only when it is cheaper (or as cheap with fewer shipments); drops no-ops', () => {
    const cheaper = unit('C', [['c1', 'SHIRT', 300]], plan({ s2: [['c1', 'SHIRT', 1]] }), plan({ s1: [['c1', 'SHIRT', 1]] }));
    expect(chooseReplans([cheaper]).map((c) => c.unitIds)).toEqual([['C']]);
    const dearer = unit('D', [['d1', 'SHIRT', 300]], plan({ s1: [['d1', 'SHIRT', 1]] }), plan({ s2: [['d1', 'SHIRT', 1]] }));
    expect(chooseReplans([dearer])).toEqual([]);
    const same = unit('E', [['e1', 'SHIRT', 300]], plan({ s1: [['e1', 'SHIRT', 1]] }), plan({ s1: [['e1', 'SHIRT', 1]] }));
    expect(chooseReplans([same])).toEqual([]);
  });

  it('never keeps a group in which an order would ship more parcels, even when cheaper in total', () => {
    // F ships in one parcel now; the proposal splits it (cheaper only because G saves more).
    const f = unit('F', [['f1', 'SHIRT', 300], ['f2', 'JEANS', 600]], plan({ s1: [['f1', 'SHIRT', 1], ['f2', 'JEANS', 1]] }), plan({ s2: [['f1', 'SHIRT', 1]], s1: [['f2', 'JEANS', 1]] }));
    const g = unit('G', [['g1', 'SHIRT', 300], ['g2', 'JEANS', 600]], plan({ s3: [['g1', 'SHIRT', 1]], s1: [['g2', 'JEANS', 1]] }), plan({ s1: [['g1', 'SHIRT', 1], ['g2', 'JEANS', 1]] }));
    const together = [f, g].map((u) => [costOfPlan(u, u.current)!.costMinor, costOfPlan(u, u.proposed)!.costMinor]);
    expect(together).toEqual([[650, 1650], [3350, 650]]);
    expect(chooseReplans([f, g])).toEqual([]);
  });

  it('judges independent proposals apart: stock positions they do not share keep them in separate groups', () => {
    const c = unit('C', [['c1', 'SHIRT', 300]], plan({ s2: [['c1', 'SHIRT', 1]] }), plan({ s1: [['c1', 'SHIRT', 1]] }));
    const d = unit('D', [['d1', 'CAP', 300]], plan({ s1: [['d1', 'CAP', 1]] }), plan({ s2: [['d1', 'CAP', 1]] }));
    expect(changedPositions(c.current, c.proposed)).toEqual(['s1/SHIRT', 's2/SHIRT']);
    expect(chooseReplans([c, d]).map((x) => x.unitIds)).toEqual([['C']]);
  });
});
