import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents, sequenceEvents } from '../../src/db/outbox.js';
import { systemActor } from '../../src/domain/shared/actor.js';
import { expireUncollectedPickups, sendPickupReminders } from '../../src/modules/fulfillment/pickup-holds.js';
import { lockOrderPayments } from '../../src/modules/payments/payment.repository.js';
import { operatePayment } from '../../src/modules/payments/record-payment.js';
import { SmtpSink } from '../notifications/smtp-sink.js';
import { notificationEnv, tempDataDir } from '../notifications/support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { buildOrderNetwork, expectInventoryConsistent, orderWrites, position } from '../orders/fixtures.js';
import { eventsOf, fulfillmentsOf, getOrder, ledgerOf, ok, readyPickup, step, storeKey, timelineEvents, wrongCodeFor } from './collect-fixtures.js';

/**
 * The handover at the pickup desk (J2 click & collect, J3 reserve & collect): wrong codes and the lock,
 * the payment taken at the counter, and the hold that ends with a reminder or a cancellation.
 */
describe('J2 wrong pickup codes lock the handover for a while', () => {
  let t: TestApp;
  let lyon: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
    lyon = await storeKey(t, 'store-lyon');
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/fulfillment-settings', headers: t.admin, payload: { maxPickupCodeAttempts: 3, pickupLockMinutes: 10 } });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(() => t.close());

  it('counts each wrong code (a replayed request counts once), locks at the limit, refuses even the right code until the lock ends', async () => {
    const { order, pickup, code } = await readyPickup(t, lyon, { lines: [{ sku: 'SKU-1', quantity: 1 }], payment: { provider: 'manual' } });
    const wrong = wrongCodeFor(code);
    const attempts = async () => (await t.ctx.db.selectFrom('fulfillment_order').select(['pickup_attempts', 'pickup_locked_until']).where('id', '=', pickup.id).executeTakeFirstOrThrow());

    const first = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${pickup.id}/collect`, headers: { ...lyon, 'idempotency-key': 'desk-1' }, payload: { code: wrong } });
    expect([first.statusCode, first.json().error]).toEqual([422, expect.objectContaining({ code: 'pickup_code_invalid', details: { attemptsLeft: 2 } })]);
    const replay = await t.app.inject({ method: 'POST', url: `/v1/fulfillments/${pickup.id}/collect`, headers: { ...lyon, 'idempotency-key': 'desk-1' }, payload: { code: wrong } });
    expect([replay.statusCode, replay.json().error.details]).toEqual([422, { attemptsLeft: 2 }]);
    expect((await attempts()).pickup_attempts).toBe(1);

    const second = await step(t, lyon, pickup.id, 'collect', { code: wrong });
    expect([second.statusCode, second.json().error.details]).toEqual([422, { attemptsLeft: 1 }]);
    const lockedAt = t.clock.now().getTime();
    const third = await step(t, lyon, pickup.id, 'collect', { code: wrong });
    const lockedUntil = new Date(lockedAt + 10 * 60_000).toISOString();
    expect([third.statusCode, third.json().error.code, third.json().error.details]).toEqual([423, 'pickup_code_locked', { attemptsLeft: 0, lockedUntil }]);
    expect(await attempts()).toEqual({ pickup_attempts: 3, pickup_locked_until: new Date(lockedUntil) });

    t.clock.advance(9 * 60_000);
    const stillLocked = await step(t, lyon, pickup.id, 'collect', { code });
    expect([stillLocked.statusCode, stillLocked.json().error.code, stillLocked.json().error.details]).toEqual([423, 'pickup_code_locked', { lockedUntil }]);
    expect((await getOrder(t, order.id)).status).toBe('ready_for_pickup');
    expect(await position(t.ctx.db, 'SKU-1', 'store-lyon')).toEqual({ onHand: 2, reserved: 1 });

    t.clock.advance(60_000);
    const fresh = await step(t, lyon, pickup.id, 'collect', { code: wrong });
    expect([fresh.statusCode, fresh.json().error.details]).toEqual([422, { attemptsLeft: 2 }]);
    await ok(t, lyon, pickup.id, 'collect', { code });
    expect(await position(t.ctx.db, 'SKU-1', 'store-lyon')).toEqual({ onHand: 1, reserved: 0 });
    expect(await attempts()).toEqual({ pickup_attempts: 0, pickup_locked_until: null });
    const events = await timelineEvents(t, order.id);
    expect(events.filter((e) => e === 'pickup.code_refused')).toHaveLength(3);
    expect(events.filter((e) => e === 'pickup.locked')).toHaveLength(1);
    await expectInventoryConsistent(t);
  });
});

describe('J3 reserve & collect: nothing paid online, the payment is taken at the counter', () => {
  let t: TestApp;
  let lyon: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    await buildOrderNetwork(t);
    lyon = await storeKey(t, 'store-lyon');
  });
  afterAll(() => t.close());

  it('refuses the handover without a payment (402), then authorises and captures the total through the provider', async () => {
    const { order, pickup, code } = await readyPickup(t, lyon, { lines: [{ sku: 'SKU-3', quantity: 2 }] , delivery: { method: 'reserve_and_collect', pickupLocationId: 'store-lyon' } });
    expect(order).toMatchObject({ payments: [], totals: { totalMinor: 5000 } });
    expect(await getOrder(t, order.id)).toMatchObject({ status: 'ready_for_pickup', payments: [] });

    for (const [body, status, codeName] of [
      [{ code }, 402, 'payment_required'],
      [{ code, payment: { provider: 'bitcoin' } }, 422, 'unknown_payment_provider'],
    ] as const) {
      const before = await orderWrites(t.ctx.db);
      const res = await step(t, lyon, pickup.id, 'collect', body);
      expect([res.statusCode, res.json().error.code]).toEqual([status, codeName]);
      expect(await orderWrites(t.ctx.db)).toEqual(before);
    }
    const wrong = await step(t, lyon, pickup.id, 'collect', { code: wrongCodeFor(code), payment: { provider: 'manual', reference: 'till-9' } });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([422, 'pickup_code_invalid']);
    expect((await getOrder(t, order.id)).payments).toEqual([]);

    await ok(t, lyon, pickup.id, 'collect', { code, payment: { provider: 'manual', reference: 'till-9' } });
    const after = await getOrder(t, order.id);
    expect(after).toMatchObject({ status: 'completed', payments: [{ provider: 'manual', reference: 'till-9', status: 'captured', authorisedMinor: 5000, capturedMinor: 5000 }] });
    expect(await position(t.ctx.db, 'SKU-3', 'store-lyon')).toEqual({ onHand: 1, reserved: 0 });
    expect(await timelineEvents(t, order.id)).toEqual(expect.arrayContaining(['payment.authorised', 'payment.captured', 'fulfillment.collected']));
    await expectInventoryConsistent(t);
  });
});

describe('J2 hold: a reminder before it ends, cancellation when nobody came', () => {
  let t: TestApp;
  let lyon: { authorization: string };
  const sink = new SmtpSink();
  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ env: notificationEnv(tempDataDir(), { SMTP_URL: sink.url }) });
    await buildOrderNetwork(t);
    lyon = await storeKey(t, 'store-lyon');
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });
  const task = (name: string) => t.ctx.tasks.find((x) => x.name === name)!;

  it('reminds once within the reminder window, then cancels, releases the units on the shelf and voids the authorisation', async () => {
    const { order, pickup, code } = await readyPickup(t, lyon, { lines: [{ sku: 'SKU-3', quantity: 1 }], payment: { provider: 'manual' } });
    const holdUntil = Date.parse(pickup.holdUntil!);
    expect(await position(t.ctx.db, 'SKU-3', 'store-lyon')).toEqual({ onHand: 3, reserved: 1 });

    expect(await sendPickupReminders(t.ctx)).toBe(0);
    t.clock.set(new Date(holdUntil - 25 * 3_600_000));
    expect(await sendPickupReminders(t.ctx)).toBe(0);
    t.clock.set(new Date(holdUntil - 23 * 3_600_000));
    await task('pickup-reminder').tick();
    expect(await sendPickupReminders(t.ctx)).toBe(0);
    const reminders = await eventsOf(t, order.id, 'order.pickup_reminder');
    expect(reminders).toEqual([
      expect.objectContaining({ orderId: order.id, pickupCode: code, holdUntil: pickup.holdUntil, pickupLocation: expect.objectContaining({ locationId: 'store-lyon' }), customer: expect.objectContaining({ email: 'alice.martin@example.fr' }) }),
    ]);
    expect((await timelineEvents(t, order.id)).filter((e) => e === 'pickup.reminder_sent')).toHaveLength(1);
    await sequenceEvents(t.ctx.db);
    await t.ctx.notifications.consumer.handle(await readEvents(t.ctx.db, { after: 0, limit: 10_000, aggregateId: order.id }));
    const reminderMail = sink.to('alice.martin@example.fr').find((m) => m.subject?.startsWith('Rappel'));
    expect(reminderMail?.subject).toBe(`Rappel : votre commande ${order.number} vous attend`);
    expect(reminderMail?.text).toContain(code);
    expect(reminderMail?.text).toContain('Lyon Part-Dieu');

    expect(await expireUncollectedPickups(deps(t))).toEqual({ cancelled: [], refused: [] });
    expect((await getOrder(t, order.id)).status).toBe('ready_for_pickup');
    t.clock.set(new Date(holdUntil + 60_000));
    await task('pickup-expiry').tick();
    const cancelled = await getOrder(t, order.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', lines: [{ status: 'cancelled' }], payments: [{ status: 'voided', authorisedMinor: 2500, voidedMinor: 2500, capturedMinor: 0 }] });
    const row = await t.ctx.db.selectFrom('sales_order').select('cancel_reason').where('id', '=', order.id).executeTakeFirstOrThrow();
    expect(row.cancel_reason).toBe('not_collected');
    expect(await eventsOf(t, order.id, 'order.cancelled')).toMatchObject([{ reason: 'not_collected', lines: [{ sku: 'SKU-3', quantity: 1 }] }]);
    expect((await fulfillmentsOf(t, order.id)).map((f) => [f.kind, f.status])).toEqual([['pickup', 'cancelled']]);
    expect(await eventsOf(t, order.id, 'fulfillment.cancelled')).toMatchObject([{ fulfillmentId: pickup.id, reason: 'not_collected' }]);
    // The unit stays on the Lyon shelf, free to sell again.
    expect(await position(t.ctx.db, 'SKU-3', 'store-lyon')).toEqual({ onHand: 3, reserved: 0 });
    expect(await ledgerOf(t, order.number)).toEqual(['release@store-lyon SKU-3 0/-1']);
    expect(await expireUncollectedPickups(deps(t))).toEqual({ cancelled: [], refused: [] });
    const late = await step(t, lyon, pickup.id, 'collect', { code });
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'invalid_transition']);
    await expectInventoryConsistent(t);
  });

  it('refunds what was already captured when the hold of a paid pickup expires', async () => {
    t.clock.set(MONDAY_NEXT);
    await t.ctx.availability.refresh();
    const { order, pickup } = await readyPickup(t, lyon, { lines: [{ sku: 'SKU-1', quantity: 1 }], payment: { provider: 'manual' } });
    // Money taken early (e.g. captured by the shop on order): the expiry must give it back as a refund.
    await t.ctx.db.transaction().execute(async (tx) => {
      const [payment] = await lockOrderPayments(tx, order.id);
      await operatePayment(tx, t.ctx.payments, payment!, 'capture', 4990, systemActor('test'), t.clock.now());
    });
    t.clock.set(new Date(Date.parse(pickup.holdUntil!) + 1));
    expect(await expireUncollectedPickups(deps(t))).toEqual({ cancelled: [order.id], refused: [] });
    expect(await getOrder(t, order.id)).toMatchObject({ status: 'cancelled', payments: [{ status: 'refunded', capturedMinor: 4990, refundedMinor: 4990 }] });
    expect(await eventsOf(t, order.id, 'order.refunded')).toMatchObject([{ amountMinor: 4990, reason: 'not_collected' }]);
    expect(await position(t.ctx.db, 'SKU-1', 'store-lyon')).toEqual({ onHand: 2, reserved: 0 });
    await expectInventoryConsistent(t);
  });
});

const deps = (t: TestApp) => ({ db: t.ctx.db, clock: t.clock, availability: t.ctx.availability, data: t.ctx.promiseData, payments: t.ctx.payments });
/** Tuesday 1 December 2026, 10:00 in Paris. */
const MONDAY_NEXT = '2026-12-01T09:00:00Z';
