import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsMultiStatementMessages } from '../../src/db/database.js';
import { StatementBatch } from '../../src/db/statement-batch.js';
import { insertFulfillment } from '../../src/modules/fulfillment/fulfillment.repository.js';
import { batchOrder, type NewOrderRow } from '../../src/modules/orders/order.repository.js';
import { insertPayment, updatePaymentAmounts } from '../../src/modules/payments/payment.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork } from './fixtures.js';

// A new order's own rows (order, payment, work) go to the statement batch with ids made in the process,
// and the order's answer is built from the rows as the process made them: they must be what the
// database stores, column for column (defaults, JSON, dates), or POST and GET would disagree.
describe('rows of a new order written through the statement batch', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
  });
  afterAll(() => t.close());

  it('are answered exactly as the database then stores them', async () => {
    const at = new Date('2026-11-23T09:00:00.123Z');
    const order: NewOrderRow = {
      id: crypto.randomUUID(),
      number: 'ORD-2026-BATCH1',
      channel_id: 'web',
      channel_type: 'web',
      customer_id: null,
      contact: JSON.stringify({ email: 'a@example.com', name: "Zoé L'Hôte" }),
      currency: 'EUR',
      delivery_method: 'ship',
      service: 'standard',
      address: JSON.stringify({ line1: '1 rue $1', postalCode: '75001', country: 'FR' }),
      status: 'allocated',
      subtotal_minor: 4990,
      discount_minor: 0,
      shipping_minor: 490,
      total_minor: 5480,
      promise_earliest: new Date('2026-11-24T23:00:00.000Z'),
      promise_latest: new Date('2026-11-26T22:59:59.000Z'),
      promise_confidence: 0.97,
      promise_option: JSON.stringify({ optionId: 'ship:standard', shipments: [{ locationId: 'store-paris' }] }),
      promise_token: crypto.randomUUID(),
      created_by: 'key:test',
      created_at: at,
      updated_at: at,
    };
    const made = await t.database.db.transaction().execute(async (tx) => {
      const batch = new StatementBatch(tx, { multiStatement: runsMultiStatementMessages(t.database.db) });
      const o = batchOrder(order, batch);
      const amounts = { authorisedMinor: 5480, capturedMinor: 0, voidedMinor: 0, refundedMinor: 0 };
      const authorised = await insertPayment(tx, { orderId: o.id, provider: 'manual', reference: 'auth-1', currency: 'EUR', amounts, status: 'authorised', at }, batch);
      const captured = await updatePaymentAmounts(tx, authorised, { ...amounts, capturedMinor: 5480 }, 'captured', new Date(at.getTime() + 1), batch);
      const work = await insertFulfillment(
        tx,
        {
          number: `${o.number}-F1`,
          order_id: o.id,
          location_id: 'store-paris',
          kind: 'ship',
          status: 'held',
          release_at: new Date('2026-11-23T09:15:00.000Z'),
          drop_ship: false,
          destination_location_id: null,
          pickup_fulfillment_id: null,
          service: 'standard',
          planned_carrier: JSON.stringify({ carrierId: 'colissimo', service: 'standard' }),
          promised_earliest: '2026-11-25',
          promised_latest: '2026-11-27',
          confidence: 0.97,
          due_at: new Date('2026-11-23T14:00:00.000Z'),
          accept_by: null,
          created_at: at,
          updated_at: at,
        },
        batch,
      );
      const transfer = await insertFulfillment(
        tx,
        { number: `${o.number}-F2`, order_id: o.id, location_id: 'store-lyon', kind: 'transfer', status: 'pending', destination_location_id: 'store-paris', pickup_fulfillment_id: work.id, service: 'standard', planned_carrier: null, promised_earliest: null, promised_latest: null, confidence: null, due_at: null, accept_by: at, created_at: at, updated_at: at },
        batch,
      );
      await batch.flush();
      return { o, captured, work, transfer };
    });
    const db = t.database.db;
    expect(await db.selectFrom('sales_order').selectAll().where('id', '=', made.o.id).executeTakeFirstOrThrow()).toEqual(made.o);
    expect(await db.selectFrom('payment').selectAll().where('id', '=', made.captured.id).executeTakeFirstOrThrow()).toEqual(made.captured);
    expect(made.captured).toMatchObject({ captured_minor: 5480, status: 'captured' });
    expect(await db.selectFrom('fulfillment_order').selectAll().where('id', '=', made.work.id).executeTakeFirstOrThrow()).toEqual(made.work);
    expect(await db.selectFrom('fulfillment_order').selectAll().where('id', '=', made.transfer.id).executeTakeFirstOrThrow()).toEqual(made.transfer);
  });
});
