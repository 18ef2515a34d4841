import { describe, expect, it } from 'vitest';
import { money, summarise, whyLost, type DecisionRecord } from './sourcing-decision.js';

const chosenCosts = { handlingMinor: 150, shippingMinor: 500, preferenceMinor: 300, splitPenaltyMinor: 0 };

const placed: DecisionRecord = {
  trigger: 'order_placed',
  cause: null,
  optionId: 'ship:standard',
  units: [{ lineId: 'l2', sku: 'SKU-2', quantity: 1 }],
  shipments: [{ locationId: 'wh-lyon', lines: [{ lineId: 'l2', sku: 'SKU-2', quantity: 1 }], costMinor: 950 }],
  totalCostMinor: 950,
  costs: chosenCosts,
  candidates: 3,
  alternatives: [
    whyLost({ description: 'everything from store-paris', locationIds: ['store-paris'], totalCostMinor: 2190, costs: { handlingMinor: 300, shippingMinor: 500, preferenceMinor: 1390, splitPenaltyMinor: 0 } }, 950, chosenCosts, 'EUR'),
    whyLost({ description: 'each line from the nearest location holding it', locationIds: ['wh-lyon'], totalCostMinor: 950, costs: chosenCosts }, 950, chosenCosts, 'EUR'),
  ],
  excluded: [{ locationId: 'store-lyon', reason: 'rejected (damaged)' }],
  unserved: [],
  optimal: true,
  gap: 0,
  method: 'exact-dp',
  policy: { id: 'default', version: 0, name: 'Default' },
  currency: 'EUR',
};

describe('why an alternative lost', () => {
  it('names the extra cost and the component that grew most', () => {
    expect(placed.alternatives[0]).toMatchObject({ extraCostMinor: 1240, reason: '12.40 € more: location preference (priority, reliability, load, policy)' });
    const split = whyLost(
      { description: 'each line from the nearest location holding it', locationIds: ['a', 'b'], totalCostMinor: 1500, costs: { handlingMinor: 300, shippingMinor: 700, preferenceMinor: 300, splitPenaltyMinor: 250 } },
      950,
      chosenCosts,
      'EUR',
    );
    expect(split.reason).toBe('5.50 € more: split penalty');
  });

  it('a tie, an unknown split, units left unserved', () => {
    expect(placed.alternatives[1]!.reason).toMatch(/same cost/);
    expect(whyLost({ description: 'x', locationIds: ['a'], totalCostMinor: 1000 }, 950, null, 'EUR').reason).toBe('0.50 € more');
    expect(whyLost({ description: 'x', locationIds: ['a'], totalCostMinor: 10, unitsShort: 2 }, 950, chosenCosts, 'EUR').reason).toBe('would leave 2 units unserved');
  });
});

describe('the summary customer service reads out', () => {
  it('names the chosen location, its cost, the candidates, the costlier alternatives and the exclusions', () => {
    expect(summarise(placed)).toBe(
      'SKU-2 ×1 from wh-lyon (9.50 €): cheapest of 3 candidates (store-paris 12.40 € more: location preference (priority, reliability, load, policy)); store-lyon excluded: rejected (damaged)',
    );
  });

  it('a split plan gives its total; a stored policy is named', () => {
    const d: DecisionRecord = {
      ...placed,
      shipments: [
        { locationId: 'store-paris', lines: [{ sku: 'SKU-1', quantity: 2 }], costMinor: 800 },
        { locationId: 'wh-lyon', lines: [{ sku: 'SKU-2', quantity: 1 }], costMinor: 650, availableFrom: '2026-12-01T08:00:00.000Z' },
      ],
      totalCostMinor: 1700,
      alternatives: [],
      excluded: [],
      policy: { id: 'minimise-splits', version: 2, name: 'Minimise splits' },
    };
    expect(summarise(d)).toBe(
      'SKU-1 ×2 from store-paris (8.00 €); SKU-2 ×1 from wh-lyon (6.50 €, when supply arrives 2026-12-01): 17.00 € in all, cheapest of 3 candidates; policy "Minimise splits" (minimise-splits v2)',
    );
  });

  it('a re-route that found nowhere says so, with who was excluded', () => {
    const d: DecisionRecord = {
      ...placed,
      trigger: 'rerouted',
      cause: 'timeout',
      shipments: [],
      totalCostMinor: null,
      alternatives: [],
      excluded: [{ locationId: 'store-paris', reason: 'rejected (timeout)' }],
      unserved: [{ sku: 'SKU-2', quantity: 1 }],
      method: 'none',
    };
    expect(summarise(d)).toBe('re-routed after an acceptance time-out: SKU-2 ×1: no location could take them; store-paris excluded: rejected (timeout)');
  });

  it('decisions the engine did not make say what happened', () => {
    const counter: DecisionRecord = { ...placed, shipments: [{ locationId: 'store-paris', lines: [{ sku: 'SKU-1', quantity: 1 }], costMinor: null }], excluded: [], method: 'counter_sale', alternatives: [] };
    expect(summarise(counter)).toBe('SKU-1 ×1 from store-paris: sold at the counter and carried out');
    expect(summarise({ ...counter, trigger: 'backorder_served', method: 'supply_arrival' })).toBe('SKU-1 ×1 from store-paris: backorder served as the incoming supply arrived');
  });

  it('money in the currency’s own decimals', () => {
    expect(money(1240, 'EUR')).toBe('12.40 €');
    expect(money(700, 'USD')).toBe('7.00 USD');
    expect(money(1200, 'JPY')).toBe('1200 JPY');
  });
});
