import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locationPreferenceCost } from './location-preference.js';
import { routeOrder } from './route-order.js';
import {
  assignedPolicy,
  candidateCosts,
  channelCostParameters,
  costParameters,
  DEFAULT_POLICY_REF,
  rulesProblem,
  SOURCING_LOCATION_TYPES,
  type CostDefaults,
  type PricedLocation,
  type RoutingTable,
} from './routing-policy.js';
import type { SourcingCandidate, SourcingLine } from './sourcing-types.js';

const defaults: CostDefaults = { splitPenaltyMinor: 250, maxShipments: 3, priorityValueMinor: 5, unreliabilityCostMinor: 400, loadCostMinor: 200 };
const ref = (id: string, version = 1) => ({ id, version, name: id });
const store: PricedLocation = { type: 'store', handlingCostMinor: 300, priority: 10, dataReliability: 0.9, loadShare: 0.5, distanceKm: 12.4 };

describe('policy → cost-model parameters', () => {
  it('no rules is exactly the behaviour before policies: the settings, line splits allowed, nothing excluded', () => {
    const p = costParameters(DEFAULT_POLICY_REF, {}, defaults);
    expect(p).toEqual({
      policy: DEFAULT_POLICY_REF,
      sourcing: { splitPenaltyMinor: 250, allowLineSplit: true, maxShipments: 3 },
      preference: { priorityValueMinor: 5, unreliabilityCostMinor: 400, loadCostMinor: 200 },
      distanceCostMinorPerKm: 0,
      excludedLocationTypes: [],
      locationTypes: { store: { preferenceMinor: 0 }, warehouse: { preferenceMinor: 0 }, supplier: { preferenceMinor: 0 }, marketplace_seller: { preferenceMinor: 0 } },
    });
    expect(costParameters(DEFAULT_POLICY_REF, {}, { ...defaults, maxShipments: 0 }).sourcing).toEqual({ splitPenaltyMinor: 250, allowLineSplit: true });
  });

  it('no rules prices every location as the promise settings do (property)', () => {
    const p = costParameters(DEFAULT_POLICY_REF, {}, defaults);
    fc.assert(
      fc.property(
        fc.constantFrom(...SOURCING_LOCATION_TYPES),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: -100, max: 100 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.oneof(fc.constant(Number.NaN), fc.double({ min: 0, max: 2000, noNaN: true })),
        (type, handling, priority, reliability, load, km) => {
          const l = { type, handlingCostMinor: handling, priority, dataReliability: reliability, loadShare: load, distanceKm: km };
          expect(candidateCosts(p, l)).toEqual({ handlingCostMinor: handling, preferenceCostMinor: locationPreferenceCost(l, defaults) + 0 });
        },
      ),
    );
  });

  it('overrides only what the rules name', () => {
    const p = costParameters(ref('minimise-splits'), { splitPenaltyMinor: 100_000, shipComplete: true, allowLineSplit: false, maxShipments: 1, loadCostMinor: 0 }, defaults);
    expect(p.sourcing).toEqual({ splitPenaltyMinor: 100_000, allowLineSplit: false, maxShipments: 1, shipComplete: true });
    expect(p.preference).toEqual({ priorityValueMinor: 5, unreliabilityCostMinor: 400, loadCostMinor: 0 });
    expect(p.policy).toEqual(ref('minimise-splits'));
  });

  it('prices location types, distance and handling per type; excluded types are never candidates', () => {
    const p = costParameters(
      ref('warehouse-first'),
      { distanceCostMinorPerKm: 10, excludedLocationTypes: ['supplier', 'marketplace_seller', 'supplier'], locationTypes: { warehouse: { preferenceMinor: -1000, handlingCostMinor: 100 }, store: { preferenceMinor: 500 } } },
      defaults,
    );
    const base = locationPreferenceCost(store, defaults); // -50 + 40 + 100
    expect(base).toBe(90);
    expect(candidateCosts(p, store)).toEqual({ handlingCostMinor: 300, preferenceCostMinor: 90 + 500 + 124 });
    expect(candidateCosts(p, { ...store, type: 'warehouse', distanceKm: Number.NaN })).toEqual({ handlingCostMinor: 100, preferenceCostMinor: 90 - 1000 });
    expect(candidateCosts(p, { ...store, type: 'supplier' })).toBeUndefined();
    expect(p.excludedLocationTypes).toEqual(['marketplace_seller', 'supplier']);
  });

  it('refuses contradictory rules', () => {
    expect(rulesProblem({})).toBeUndefined();
    expect(rulesProblem({ excludedLocationTypes: ['store', 'warehouse', 'supplier', 'marketplace_seller'] })).toMatch(/every location type/);
    expect(rulesProblem({ shipComplete: true, allowLineSplit: true })).toMatch(/contradict/);
    expect(rulesProblem({ excludedLocationTypes: ['store'], locationTypes: { store: { preferenceMinor: -5 } } })).toMatch(/excluded and priced/);
  });
});

describe('which policy applies to a channel and delivery method', () => {
  const table: RoutingTable = {
    versions: new Map([
      ['lowest-cost@1', { id: 'lowest-cost', version: 1, name: 'Lowest cost', rules: {} }],
      ['minimise-splits@1', { id: 'minimise-splits', version: 1, name: 'Minimise splits', rules: { splitPenaltyMinor: 5000 } }],
      ['minimise-splits@2', { id: 'minimise-splits', version: 2, name: 'Minimise splits', rules: { splitPenaltyMinor: 90_000 } }],
      ['default@1', { id: 'default', version: 1, name: 'House default', rules: { maxShipments: 2 } }],
    ]),
    latest: new Map([
      ['lowest-cost', 1],
      ['minimise-splits', 2],
      ['default', 1],
    ]),
    assignments: new Map([
      ['web/ship', { policyId: 'minimise-splits', version: null }],
      ['app/ship', { policyId: 'minimise-splits', version: 1 }],
      ['web/pickup', { policyId: 'lowest-cost', version: null }],
    ]),
  };

  it('an unpinned assignment follows the latest version, a pinned one keeps its version', () => {
    expect(assignedPolicy(table, 'web', 'ship')).toMatchObject({ id: 'minimise-splits', version: 2 });
    expect(assignedPolicy(table, 'app', 'ship')).toMatchObject({ id: 'minimise-splits', version: 1 });
  });

  it('without an assignment the stored policy "default" applies, else the built-in one', () => {
    expect(assignedPolicy(table, 'pos', 'ship')).toMatchObject({ id: 'default', version: 1 });
    const params = channelCostParameters(table, 'pos', defaults);
    expect(params.ship.sourcing.maxShipments).toBe(2);
    const bare = channelCostParameters({ ...table, versions: new Map(), latest: new Map(), assignments: new Map() }, 'pos', defaults);
    expect(bare.pickup.policy).toEqual(DEFAULT_POLICY_REF);
    expect(channelCostParameters(undefined, 'web', defaults).ship).toEqual(costParameters(DEFAULT_POLICY_REF, {}, defaults));
  });

  it('each delivery method gets its own parameters', () => {
    const web = channelCostParameters(table, 'web', defaults);
    expect(web.ship.sourcing.splitPenaltyMinor).toBe(90_000);
    expect(web.pickup.policy).toEqual({ id: 'lowest-cost', version: 1, name: 'Lowest cost' });
    expect(web.reserve_and_collect.policy).toMatchObject({ id: 'default' });
  });
});

describe('the same cart under two policies', () => {
  const bands = [{ maxWeightGrams: 5_000, costMinor: 500 }];
  const at = (id: string, type: SourcingCandidate['locationType'], stock: Record<string, number>, handling: number): SourcingCandidate => ({
    locationId: id,
    locationType: type,
    available: new Map(Object.entries(stock)),
    distanceKm: 10,
    shippingBands: bands,
    handlingCostMinor: handling,
    preferenceCostMinor: 0,
  });
  const cart: SourcingLine[] = [
    { lineId: '1', sku: 'A', quantity: 1, weightGrams: 500 },
    { lineId: '2', sku: 'B', quantity: 1, weightGrams: 500 },
  ];
  // Each store is cheap for its own SKU; only the warehouse has both, at a high handling cost.
  const candidates = [at('store-a', 'store', { A: 1 }, 100), at('store-b', 'store', { B: 1 }, 100), at('wh', 'warehouse', { A: 1, B: 1 }, 2_000)];

  it('"lowest cost" splits between the two stores, "minimise splits" ships everything from the warehouse', () => {
    const lowest = costParameters(ref('lowest-cost'), {}, defaults);
    const fewest = costParameters(ref('minimise-splits'), { splitPenaltyMinor: 100_000 }, defaults);
    const split = routeOrder(cart, candidates, lowest.sourcing);
    const whole = routeOrder(cart, candidates, fewest.sourcing);
    expect(split.shipments.map((s) => s.locationId)).toEqual(['store-a', 'store-b']);
    expect(split.totalCostMinor).toBe(2 * (100 + 500) + 250);
    expect(whole.shipments.map((s) => s.locationId)).toEqual(['wh']);
    expect(whole.totalCostMinor).toBe(2_000 + 500);
  });
});
