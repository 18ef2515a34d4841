import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent } from '../orders/fixtures.js';
import { put } from '../fulfillment/ship-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildReturnNetwork, counterSale, getOrder, postReturn, returnAction, type ReturnView } from './return-fixtures.js';

type Step =
  | { kind: 'request'; line: number; quantity: number; resolution: 'refund' | 'store_credit'; location: 'store-paris' | 'wh-lyon' }
  | { kind: 'receive'; which: number; split: [number, number] }
  | { kind: 'cancel'; which: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), line: fc.nat(1), quantity: fc.integer({ min: 1, max: 4 }), resolution: fc.constantFrom('refund' as const, 'store_credit' as const), location: fc.constantFrom('store-paris' as const, 'wh-lyon' as const) }),
  fc.record({ kind: fc.constant('receive' as const), which: fc.nat(), split: fc.tuple(fc.nat(4), fc.nat(4)) }),
  fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }),
);

describe('return properties through the API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await buildReturnNetwork(t);
    for (const sku of ['PULL', 'SCARF']) await put(t, `/v1/inventory/store-paris/${sku}`, { onHand: 1000, asOf: '2026-11-02T00:00:00Z' });
    await t.ctx.availability.refresh();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('returned units never exceed the units delivered, and refunds never exceed what was captured', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.array(step, { minLength: 1, maxLength: 8 }), async (pulls, scarves, steps) => {
        const sale = await counterSale(t, [{ sku: 'PULL', quantity: pulls }, { sku: 'SCARF', quantity: scarves }]);
        const delivered = sale.lines.map((l) => l.quantity);
        const taken = [0, 0];
        const open: ReturnView[] = [];
        for (const s of steps) {
          if (s.kind === 'request') {
            const res = await postReturn(t, { orderId: sale.id, lines: [{ lineId: sale.lines[s.line]!.id, quantity: s.quantity, reason: 'changed_mind' }], destination: { kind: s.location === 'wh-lyon' ? 'warehouse' : 'store', locationId: s.location }, resolution: s.resolution });
            const allowed = s.quantity <= delivered[s.line]! - taken[s.line]!;
            expect(res.statusCode, res.body).toBe(allowed ? 201 : 409);
            if (allowed) {
              taken[s.line]! += s.quantity;
              open.push(res.json());
            }
          } else if (open.length > 0) {
            const r = open.splice(s.which % open.length, 1)[0]!;
            const index = sale.lines.findIndex((l) => l.id === r.lines[0]!.orderLineId);
            const quantity = r.lines[0]!.quantity;
            if (s.kind === 'cancel') {
              expect((await returnAction(t, r.id, 'cancel')).statusCode).toBe(200);
              taken[index]! -= quantity;
            } else {
              const resellable = Math.min(s.split[0], quantity);
              const damaged = Math.min(s.split[1], quantity - resellable);
              const counts = { resellable, damaged, missing: quantity - resellable - damaged };
              const lines = Object.entries(counts).filter(([, n]) => n > 0).map(([condition, n]) => ({ lineId: r.lines[0]!.id, condition, quantity: n }));
              const res = await returnAction(t, r.id, 'receive', { lines });
              expect(res.statusCode, res.body).toBe(200);
              taken[index]! -= counts.missing; // missing units may be returned again
            }
          }
          await expectUnderDelivered(sale.id, delivered);
        }
        const order = await getOrder(t, sale.id);
        const captured = order.payments.reduce((s, p) => s + p.capturedMinor, 0);
        const refunded = order.payments.reduce((s, p) => s + p.refundedMinor, 0);
        expect(refunded).toBeLessThanOrEqual(captured);
        const settled = await t.ctx.db.selectFrom('sales_return').select(['refund_minor', 'credit_minor']).where('order_id', '=', sale.id).execute();
        expect(settled.reduce((s, r) => s + Number(r.refund_minor), 0)).toBe(refunded);
        expect(settled.reduce((s, r) => s + Number(r.refund_minor) + Number(r.credit_minor), 0)).toBeLessThanOrEqual(order.totals.totalMinor);
      }),
      { numRuns: 25 },
    );
    await expectInventoryConsistent(t);
  });

  /** Per order line, what returns hold (requested units, or those accepted back) never exceeds what was delivered; values never exceed the line. */
  async function expectUnderDelivered(orderId: string, delivered: number[]): Promise<void> {
    const order = await getOrder(t, orderId);
    const rows = await t.ctx.db
      .selectFrom('return_line as l')
      .innerJoin('sales_return as r', 'r.id', 'l.return_id')
      .select(['l.order_line_id', 'r.status', 'l.quantity', 'l.resellable_quantity', 'l.damaged_quantity', 'l.value_minor'])
      .where('r.order_id', '=', orderId)
      .execute();
    order.lines.forEach((line, i) => {
      const mine = rows.filter((r) => r.order_line_id === line.id);
      const held = mine.reduce((s, r) => s + (r.status === 'cancelled' ? 0 : r.status === 'requested' ? r.quantity : (r.resellable_quantity ?? 0) + (r.damaged_quantity ?? 0)), 0);
      expect(held).toBeLessThanOrEqual(delivered[i]!);
      expect(mine.reduce((s, r) => s + Number(r.value_minor), 0)).toBeLessThanOrEqual((line as unknown as { totalMinor: number }).totalMinor);
    });
  }
});
