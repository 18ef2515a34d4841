import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdsInGivingOrder, ordersInGivingOrder, planShortfall, type HoldClaim, type OrderClaim } from './stock-shortfall.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

const hold = (id: string, kind: HoldClaim['kind'], quantity: number, expiresIn: number, createdAgo = 10): HoldClaim => ({
  kind,
  reservationId: id,
  holdId: `h-${id}`,
  token: kind === 'promise' ? `t-${id}` : null,
  quantity,
  expiresAt: at(expiresIn),
  createdAt: at(-createdAgo),
});
const order = (id: string, quantity: number, createdAgo: number): OrderClaim => ({ fulfillmentId: `f-${id}`, orderId: id, orderNumber: `ORD-${id}`, orderCreatedAt: at(-createdAgo), quantity });

describe('who gives units up when on hand falls under reserved', () => {
  it('due holds first, then cart holds, then promise holds, each soonest expiry first', () => {
    const holds = [hold('p1', 'promise', 1, 5), hold('c1', 'cart', 1, 30), hold('c2', 'cart', 1, 10), hold('dead', 'promise', 1, -1), hold('p0', 'promise', 1, 2)];
    expect(holdsInGivingOrder(holds, NOW).map((h) => h.reservationId)).toEqual(['dead', 'c2', 'c1', 'p0', 'p1']);
  });

  it('orders newest first, so the oldest keep their units', () => {
    expect(ordersInGivingOrder([order('old', 1, 600), order('new', 1, 5), order('mid', 1, 60)]).map((o) => o.orderId)).toEqual(['new', 'mid', 'old']);
  });

  it('a cart hold covering the shortfall spares every order; an order gives only what is missing', () => {
    expect(planShortfall(2, [hold('c', 'cart', 3, 10)], [order('o', 2, 1)], NOW).map((r) => [r.claim.type, r.units])).toEqual([['hold', 2]]);
    expect(planShortfall(3, [hold('c', 'cart', 1, 10)], [order('new', 1, 1), order('old', 5, 100)], NOW).map((r) => [r.claim.type, r.units])).toEqual([
      ['hold', 1],
      ['order', 1],
      ['order', 1],
    ]);
  });

  it('a promise hold is released whole', () => {
    expect(planShortfall(1, [hold('p', 'promise', 4, 10)], [order('o', 2, 1)], NOW).map((r) => [r.claim.type, r.units])).toEqual([['hold', 4]]);
  });

  it('invariants: orders give exactly what the holds left uncovered (capped by what they hold), never while a hold could', () => {
    const holdArb = fc.record({ kind: fc.constantFrom('cart' as const, 'promise' as const), quantity: fc.integer({ min: 1, max: 6 }), expiresIn: fc.integer({ min: -5, max: 60 }) });
    const orderArb = fc.record({ quantity: fc.integer({ min: 1, max: 6 }), createdAgo: fc.integer({ min: 0, max: 1000 }) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.array(holdArb, { maxLength: 6 }), fc.array(orderArb, { maxLength: 6 }), (shortfall, hs, os) => {
        const holds = hs.map((h, i) => hold(`h${i}`, h.kind, h.quantity, h.expiresIn));
        const orders = os.map((o, i) => order(`o${i}`, o.quantity, o.createdAgo));
        const plan = planShortfall(shortfall, holds, orders, NOW);
        for (const r of plan) expect(r.units).toBeGreaterThan(0);
        for (const r of plan) expect(r.units).toBeLessThanOrEqual(r.claim.quantity);
        const fromHolds = plan.filter((r) => r.claim.type === 'hold').reduce((s, r) => s + r.units, 0);
        const fromOrders = plan.filter((r) => r.claim.type === 'order').reduce((s, r) => s + r.units, 0);
        const heldByOrders = orders.reduce((s, o) => s + o.quantity, 0);
        const heldByHolds = holds.reduce((s, h) => s + h.quantity, 0);
        expect(fromOrders).toBe(Math.min(Math.max(0, shortfall - fromHolds), heldByOrders));
        if (fromOrders > 0) expect(fromHolds).toBe(heldByHolds);
        // Only a whole promise hold frees more than needed; cart holds and orders never do.
        const lastCartOrOrder = plan.filter((r) => !(r.claim.type === 'hold' && r.claim.kind === 'promise'));
        expect(lastCartOrOrder.reduce((s, r) => s + r.units, 0)).toBeLessThanOrEqual(shortfall);
        // Orders give up newest first: a plan takes from an older order only once every newer one is empty.
        const taken = plan.filter((r) => r.claim.type === 'order');
        for (let i = 0; i < taken.length - 1; i++) expect(taken[i]!.units).toBe(taken[i]!.claim.quantity);
      }),
    );
  });
});
