import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInventoryConsistent, position } from '../orders/fixtures.js';
import { auth } from '../fulfillment/ship-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildReturnNetwork, counterSale, createReturn, deliveredWebOrder, eventsOf, receiveAll, type OrderView } from './return-fixtures.js';

async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

describe('returns by mail: a label through the carrier adapter, to where the SKU sells best', () => {
  let t: TestApp;
  let keys: { nice: string; paris: string };
  let order: OrderView;

  beforeAll(async () => {
    t = await createTestApp();
    keys = await buildReturnNetwork(t);
    order = await deliveredWebOrder(t, [{ sku: 'JEAN-32', quantity: 1 }, { sku: 'PULL', quantity: 1 }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const lineOf = (sku: string) => order.lines.find((l) => l.sku === sku)!.id;
  const byMail = (sku: string, destination: object = { kind: 'mail' }) => ({ orderId: order.number, lines: [{ lineId: lineOf(sku), quantity: 1, reason: 'changed_mind' }], destination, resolution: 'refund' });

  it('sends units no store lacks back to the warehouse, with a printable PDF label', async () => {
    const r = await createReturn(t, byMail('JEAN-32'));
    expect(r.destination).toEqual({ kind: 'mail', locationId: 'wh-lyon', reason: { locationId: 'wh-lyon', rule: 'warehouse', shortfall: 0, demand: 1, atp: 9 } });
    expect(r.label).toMatchObject({ carrierId: 'post', service: 'standard' });
    const tracking = r.label!.trackingNumber;
    expect(r.label!.trackingUrl).toBe(`https://suivi.example/track?n=${tracking}`);
    expect((await eventsOf(t, 'return.requested', order.id)).at(-1)).toMatchObject({ returnId: r.id, trackingNumber: tracking, destinationKind: 'mail', locationId: 'wh-lyon' });

    const label = await t.app.inject({ method: 'GET', url: `/v1/returns/${r.number}/label`, headers: t.admin });
    expect(label.statusCode).toBe(200);
    expect(label.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(label.rawPayload);
    for (const expected of [tracking, 'Bob Durand', '12 rue Esquermoise', '59000 Lille', 'Saint-Priest DC', '69800 Saint-Priest', r.number, order.number, 'STANDARD', '0.8 kg']) {
      expect(text).toContain(expected);
    }
    // Received at the warehouse like any return: its stock grows there.
    const before = await position(t.ctx.db, 'JEAN-32', 'wh-lyon');
    expect((await receiveAll(t, r)).status).toBe('refunded');
    expect(await position(t.ctx.db, 'JEAN-32', 'wh-lyon')).toEqual({ onHand: before.onHand + 1, reserved: before.reserved });
  });

  it('sends a pull to the Paris store, which sells them and is short of them, rather than to the warehouse it came from', async () => {
    expect(order.lines.find((l) => l.sku === 'PULL')!.allocations.map((a) => a.locationId)).toEqual(['wh-lyon']);
    await counterSale(t, [{ sku: 'PULL', quantity: 19 }]); // Paris sold 19 of its 20 pulls today
    const r = await createReturn(t, byMail('PULL'));
    expect(r.destination).toEqual({ kind: 'mail', locationId: 'store-paris', reason: { locationId: 'store-paris', rule: 'store_short', shortfall: 1, demand: 19, atp: 1 } });
    const text = await pdfText((await t.app.inject({ method: 'GET', url: `/v1/returns/${r.id}/label`, headers: auth(keys.paris) })).rawPayload);
    expect(text).toContain('Paris Rivoli');
    expect(text).toContain('75001 Paris');
    // The label is Paris's: another store does not see it.
    expect((await t.app.inject({ method: 'GET', url: `/v1/returns/${r.id}/label`, headers: auth(keys.nice) })).statusCode).toBe(404);
    expect((await receiveAll(t, r, 'resellable', keys.paris)).status).toBe('refunded');
    expect(await position(t.ctx.db, 'PULL', 'store-paris')).toEqual({ onHand: 2, reserved: 0 });
    await expectInventoryConsistent(t);
  });

  it('takes a mail destination given by customer service, and has no label for a return brought to a store', async () => {
    const sale = await counterSale(t, [{ sku: 'SCARF', quantity: 2 }]);
    const mailed = await createReturn(t, { orderId: sale.id, lines: [{ lineId: sale.lines[0]!.id, quantity: 1, reason: 'other' }], destination: { kind: 'mail', locationId: 'store-lille' }, resolution: 'refund' });
    expect(mailed).toMatchObject({ destination: { kind: 'mail', locationId: 'store-lille', reason: null }, label: { carrierId: 'post' } });
    const brought = await createReturn(t, { orderId: sale.id, lines: [{ lineId: sale.lines[0]!.id, quantity: 1, reason: 'other' }], destination: { kind: 'store', locationId: 'store-paris' }, resolution: 'refund' });
    const none = await t.app.inject({ method: 'GET', url: `/v1/returns/${brought.id}/label`, headers: t.admin });
    expect([none.statusCode, none.json().error.code]).toEqual([404, 'return_label_not_found']);
  });
});
