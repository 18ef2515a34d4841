import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildReturnNetwork, counterSale, createReturn, getOrder, postReturn, returnAction } from './return-fixtures.js';

describe('returns on PostgreSQL: concurrent commands on the same units', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await buildReturnNetwork(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets one of several simultaneous returns of the same unit through', async () => {
    const sale = await counterSale(t, [{ sku: 'PULL', quantity: 1 }]);
    const body = (location: string) => ({ orderId: sale.id, lines: [{ lineId: sale.lines[0]!.id, quantity: 1, reason: 'changed_mind' }], destination: { kind: 'store', locationId: location }, resolution: 'refund' });
    const answers = await Promise.all(['store-paris', 'store-lille', 'store-nice', 'store-paris'].map((l) => postReturn(t, body(l))));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409]);
    expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json().error.code)).toEqual(['return_quantity_exceeded', 'return_quantity_exceeded', 'return_quantity_exceeded']);
    const rows = await t.ctx.db.selectFrom('sales_return').select('id').where('order_id', '=', sale.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('receives and refunds a return once when it is received twice at the same moment', async () => {
    const sale = await counterSale(t, [{ sku: 'SCARF', quantity: 2 }]);
    const r = await createReturn(t, { orderId: sale.id, lines: [{ lineId: sale.lines[0]!.id, quantity: 2, reason: 'changed_mind' }], destination: { kind: 'store', locationId: 'store-nice' }, resolution: 'refund' });
    const receipt = { lines: [{ lineId: r.lines[0]!.id, condition: 'resellable', quantity: 2 }] };
    const answers = await Promise.all([0, 1, 2].map(() => returnAction(t, r.id, 'receive', receipt)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    expect(await position(t.ctx.db, 'SCARF', 'store-nice')).toEqual({ onHand: 2, reserved: 0 });
    expect((await getOrder(t, sale.id)).payments).toMatchObject([{ capturedMinor: 5000, refundedMinor: 5000 }]);
    await expectInventoryConsistent(t);
  });
});
