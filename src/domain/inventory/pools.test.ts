import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availableToPromise } from './safety-stock.js';
import { capChannelAvailability, channelAvailability, protectedForOthers, type ChannelRules, type LocationStock } from './pools.js';

const LOCATIONS = ['L1', 'L2', 'L3', 'L4'];
const CHANNELS = ['web', 'app', 'pos', 'marketplace:amazon'];

const stockArb = fc.array(
  fc.record({
    locationId: fc.constantFrom(...LOCATIONS),
    active: fc.boolean(),
    onHand: fc.integer({ min: 0, max: 500 }),
    reserved: fc.integer({ min: 0, max: 500 }),
    safetyStock: fc.integer({ min: 0, max: 20 }),
  }),
  { maxLength: 6 },
);

const channelArb = (id: string): fc.Arbitrary<ChannelRules> =>
  fc.record({
    id: fc.constant(id),
    active: fc.boolean(),
    eligibleLocationIds: fc.option(fc.subarray(LOCATIONS), { nil: undefined }),
    pool: fc.record(
      {
        maxShare: fc.double({ min: 0, max: 1, noNaN: true }),
        maxQuantity: fc.integer({ min: 0, max: 1000 }),
        protections: fc.array(fc.record({ channelId: fc.constantFrom(...CHANNELS), quantity: fc.integer({ min: 0, max: 50 }) }), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
  });

const channelsArb = fc.tuple(...CHANNELS.map(channelArb));

function eligibleAtp(stock: readonly LocationStock[], channel: ChannelRules): number {
  return stock
    .filter((s) => s.active && (channel.eligibleLocationIds == null || channel.eligibleLocationIds.includes(s.locationId)))
    .reduce((sum, s) => sum + availableToPromise(s), 0);
}

describe('channel pools', () => {
  it('is never negative and never above the eligible network ATP', () => {
    fc.assert(
      fc.property(stockArb, channelsArb, fc.nat(CHANNELS.length - 1), (stock, channels, i) => {
        const channel = channels[i]!;
        const available = channelAvailability(stock, channel, channels);
        expect(available).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(available)).toBe(true);
        expect(available).toBeLessThanOrEqual(eligibleAtp(stock, channel));
      }),
    );
  });

  it('is monotonic in stock: more on hand anywhere never lowers availability', () => {
    fc.assert(
      fc.property(stockArb, channelsArb, fc.nat(CHANNELS.length - 1), fc.nat(5), fc.integer({ min: 1, max: 100 }), (stock, channels, i, at, extra) => {
        fc.pre(stock.length > 0);
        const channel = channels[i]!;
        const k = at % stock.length;
        const more = stock.map((s, j) => (j === k ? { ...s, onHand: s.onHand + extra } : s));
        expect(channelAvailability(more, channel, channels)).toBeGreaterThanOrEqual(channelAvailability(stock, channel, channels));
      }),
    );
  });

  it('counts only eligible, active locations', () => {
    const stock: LocationStock[] = [
      { locationId: 'WH', active: true, onHand: 10, reserved: 2, safetyStock: 1 },
      { locationId: 'STORE', active: true, onHand: 5, reserved: 0, safetyStock: 0 },
      { locationId: 'CLOSED', active: false, onHand: 100, reserved: 0, safetyStock: 0 },
    ];
    const web: ChannelRules = { id: 'web', active: true, pool: {} };
    const mp: ChannelRules = { id: 'marketplace:amazon', active: true, eligibleLocationIds: ['WH', 'CLOSED'], pool: {} };
    expect(channelAvailability(stock, web, [web, mp])).toBe(12);
    expect(channelAvailability(stock, mp, [web, mp])).toBe(7);
    expect(channelAvailability(stock, { ...web, active: false }, [web, mp])).toBe(0);
  });

  it('lowers other channels by a protection, never the protected channel itself', () => {
    const stock: LocationStock[] = [{ locationId: 'WH', active: true, onHand: 20, reserved: 0, safetyStock: 0 }];
    const web: ChannelRules = { id: 'web', active: true, pool: { protections: [{ channelId: 'web', quantity: 5 }] } };
    const app: ChannelRules = { id: 'app', active: true, pool: { protections: [{ channelId: 'app', quantity: 3 }] } };
    const mp: ChannelRules = { id: 'marketplace:amazon', active: true, pool: { protections: [{ channelId: 'web', quantity: 4 }] } };
    const all = [web, app, mp];
    expect(protectedForOthers(web, all)).toBe(3);
    expect(channelAvailability(stock, web, all)).toBe(17);
    expect(channelAvailability(stock, app, all)).toBe(15);
    // web is protected by two declarations (5 and 4): the larger one counts, once.
    expect(channelAvailability(stock, mp, all)).toBe(12);
    // An inactive beneficiary sells nothing, so nothing is kept for it.
    expect(channelAvailability(stock, mp, [{ ...web, active: false }, app, mp])).toBe(17);
  });

  it('caps by share (floored) of the eligible ATP and by quantity', () => {
    expect(capChannelAvailability(15, 0, { maxShare: 0.3 })).toBe(4);
    expect(capChannelAvailability(15, 0, { maxShare: 0.3, maxQuantity: 3 })).toBe(3);
    expect(capChannelAvailability(15, 12, { maxShare: 0.5 })).toBe(3);
    expect(capChannelAvailability(15, 20, {})).toBe(0);
    expect(capChannelAvailability(0, 0, { maxQuantity: 10 })).toBe(0);
  });
});
