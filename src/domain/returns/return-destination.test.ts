import { describe, expect, it } from 'vitest';
import { proposeDestination, type DestinationCandidate } from './return-destination.js';

const candidate = (locationId: string, type: string, stock: Record<string, [atp: number, demand: number]>): DestinationCandidate => ({
  locationId,
  type,
  stock: new Map(Object.entries(stock).map(([sku, [atp, demand]]) => [sku, { atp, demand }])),
});

describe('where a return by mail goes', () => {
  it('sends the units to the store that is short of them and sells most of them', () => {
    const proposal = proposeDestination(
      [candidate('wh', 'warehouse', { PULL: [40, 6] }), candidate('store-a', 'store', { PULL: [0, 1] }), candidate('store-b', 'store', { PULL: [1, 4] })],
      [{ sku: 'PULL', quantity: 2 }],
    );
    expect(proposal).toEqual({ locationId: 'store-b', rule: 'store_short', shortfall: 2, demand: 4, atp: 1 });
  });

  it('otherwise sends them to the warehouse that sells them most', () => {
    const proposal = proposeDestination(
      [candidate('wh-1', 'warehouse', { PULL: [40, 2] }), candidate('wh-2', 'warehouse', { PULL: [5, 9] }), candidate('store-a', 'store', { PULL: [3, 1] })],
      [{ sku: 'PULL', quantity: 1 }],
    );
    expect(proposal).toMatchObject({ locationId: 'wh-2', rule: 'warehouse' });
  });

  it('falls back to the store with most demand without a returns warehouse, and to nothing without candidates', () => {
    expect(proposeDestination([candidate('store-a', 'store', { PULL: [9, 1] }), candidate('store-b', 'store', { PULL: [9, 3] })], [{ sku: 'PULL', quantity: 1 }])).toMatchObject({
      locationId: 'store-b',
      rule: 'most_demand',
    });
    expect(proposeDestination([], [{ sku: 'PULL', quantity: 1 }])).toBeUndefined();
  });

  it('breaks ties deterministically by location id', () => {
    const twins = [candidate('store-b', 'store', { PULL: [0, 2] }), candidate('store-a', 'store', { PULL: [0, 2] })];
    expect(proposeDestination(twins, [{ sku: 'PULL', quantity: 1 }])?.locationId).toBe('store-a');
  });
});
