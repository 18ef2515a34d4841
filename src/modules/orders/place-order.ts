import { runsMultiStatementMessages, type Tx } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { isUniqueViolation } from '../../db/pg-errors.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, fail, ok, type Result } from '../../domain/shared/result.js';
import { batchCustomer, isCustomerTaken, type CustomerRow } from '../customers/customer.repository.js';
import type { PaymentProvider, PaymentProviders } from '../payments/payment-provider.js';
import { paymentViews, toPaymentView, type PaymentView } from '../payments/payment.repository.js';
import type { Carrier } from '../../domain/promise/carriers.js';
import { authorisePayment, operatePayment } from '../payments/record-payment.js';
import type { PromiseDeps } from '../promise/compute-promise.js';
import { idempotencyKeyReused, requestHash, storedIdempotentResponse } from '../reservations/idempotency.repository.js';
import { createFulfillments, writeUnwrittenLines, type PendingWrites } from '../fulfillment/create-fulfillments.js';
import { releaseHoldEnd } from '../fulfillment/fulfillment-settings.js';
import type { PromiseSite } from '../promise/promise-data.js';
import { checkOrder, type CheckedOrder } from './check-order.js';
import { appendTimeline, batchAllocations, batchLines, batchOrder, findOrderIdByExternalId, loadOrder, type NewTimelineEntry } from './order.repository.js';
import { allocationRows, initialStatuses, lineRows, orderRow } from './order-records.js';
import { confirmedPayload, orderEvent } from './order-payloads.js';
import { chooseSource, holdSites, readSourceInputsAhead, takeStock, type OrderSource } from './order-sourcing.js';
import { placementDecision } from '../sourcing/decision-records.js';
import { insertDecision, withDecision } from '../sourcing/sourcing-decision.repository.js';
import { toOrderView } from './order-view.js';
import type { OrderView, PlaceOrderInput } from './order.schemas.js';
import { ContendedWrites } from '../../db/contended-writes.js';
import { StatementBatch } from '../../db/statement-batch.js';
import { newRowId } from '../../db/row-id.js';

export interface OrderDeps extends PromiseDeps {
  payments: PaymentProviders;
}

export interface PlaceOrderOutcome {
  /** 201 created; 200 when an externalId already imported answers its order; or the replayed status. */
  statusCode: number;
  body: OrderView;
  /** `body` as JSON, when it was written for the Idempotency-Key: sent as is rather than serialised again. */
  json?: string;
}

/**
 * An order imported from another system (a marketplace, an e-shop): where it comes from goes on the
 * timeline, and money that system already captured is captured here too, in the order's transaction.
 */
export interface ImportedFrom {
  source: string;
  details: Record<string, unknown>;
  captured: boolean;
}

/** Tries per order: a lost race for stock re-sources against fresh stock before answering 409. */
const ATTEMPTS = 3;
const RETRY_CODES = new Set(['insufficient_stock', 'capacity_exhausted']);

/**
 * POST /v1/orders. Checks (no stock touched), decides where the units come from (promise token, cart
 * hold, counter, or the promise's own option for the delivery method), then writes everything in ONE
 * transaction, on a server ONE message: Idempotency-Key claim, customer, order, lines, stock (guarded,
 * last), allocations, payment authorisation, timeline and order.confirmed in the outbox. A key with a
 * committed answer is found with the facts, before any work; a request racing the key's first run waits
 * at the claim for it to end, then answers the stored response. The same key with another body is
 * idempotency_key_reused.
 */
export async function placeOrder(deps: OrderDeps, actor: Actor, input: PlaceOrderInput, idempotencyKey: string, imported?: ImportedFrom): Promise<Result<PlaceOrderOutcome>> {
  const scope = `POST /v1/orders ${actor.id}`;
  const hash = requestHash(input);
  const answerStored = (s: { requestHash: string; statusCode: number; body: unknown }): Result<PlaceOrderOutcome> =>
    s.requestHash === hash ? ok({ statusCode: s.statusCode, body: s.body as OrderView }) : idempotencyKeyReused();
  const stored = async (): Promise<Result<PlaceOrderOutcome> | undefined> => {
    const s = await storedIdempotentResponse(deps.db, scope, idempotencyKey);
    return s && answerStored(s);
  };
  for (let attempt = 1; ; attempt++) {
    // Read with the facts; a retry after a lost race reads afresh.
    const inputsAhead = attempt === 1 && !input.externalId ? readSourceInputsAhead(deps, input) : undefined;
    const checked = await checkOrder(deps.db, actor, input, deps.payments, deps.clock.now(), { scope, key: idempotencyKey });
    if ('stored' in checked) return answerStored(checked.stored);
    if (!checked.ok) return checked;
    const existing = input.externalId ? await findOrderIdByExternalId(deps.db, input.channel, input.externalId) : undefined;
    const source = existing ? undefined : await chooseSource(deps, checked.value, inputsAhead);
    // A request racing this key's first run may find the stock already gone: it answers the first run's result.
    if (source && !source.ok) return (await stored()) ?? source;
    const chosen = source?.value;
    const master = chosen?.kind === 'promise' ? chosen.sites : await holdSites(deps);
    const sites = master.sitesById;
    const compensations: Array<() => Promise<unknown>> = [];
    try {
      const outcome = await deps.db.transaction().execute(async (tx) => {
        const now = deps.clock.now();
        const multiStatement = runsMultiStatementMessages(deps.db);
        const contended = new ContendedWrites();
        const batch = new StatementBatch(tx, { multiStatement });
        // Before the order row, which references it.
        const customer = existing ? undefined : batchCustomer(tx, batch, checked.value.input.customer ?? {}, checked.value.knownCustomer, now);
        const answer = existing
          ? { statusCode: 200, body: await orderView(tx, existing) }
          : { statusCode: 201, body: await writeOrder(tx, deps, actor, now, checked.value, customer, chosen!, sites, master.carriers, master.currency, (p, ref) => compensations.push(() => voidAuthorisation(p, ref, checked.value)), contended, batch, imported) };
        const json = JSON.stringify(answer.body);
        // The claim goes first: a request racing this key waits there, before taking any stock.
        batch.insertFirst('idempotency_key', [{ scope, key: idempotencyKey, request_hash: hash, status_code: answer.statusCode, response_body: json }]);
        // The writes in one round trip; last, the day's pick load of a warehouse (one row every order it
        // serves updates), and on a server the commit in the same message.
        await contended.flushWith(batch, { commit: multiStatement });
        return { ...answer, json };
      });
      return ok(outcome);
    } catch (err) {
      await compensate(compensations);
      if (isKeyTaken(err)) {
        const replay = await stored();
        if (replay) return replay;
        if (attempt < ATTEMPTS) continue;
      }
      // The same import won a race (answer its order), or the contact became a customer meanwhile.
      if ((isExternalIdTaken(err) || isCustomerTaken(err)) && attempt < ATTEMPTS) continue;
      if (!(err instanceof BusinessError)) throw err;
      if (RETRY_CODES.has(err.code) && chosen?.kind === 'promise') {
        if (attempt < ATTEMPTS) {
          await deps.availability.refresh();
          continue;
        }
        return fail('out_of_stock', 'the stock was taken by other orders while this one was placed', { reason: err.code, ...(err.details as object) });
      }
      return err.toFailure();
    }
  }
}

async function writeOrder(
  tx: Tx,
  deps: OrderDeps,
  actor: Actor,
  now: Date,
  c: CheckedOrder,
  customer: CustomerRow | undefined,
  source: OrderSource,
  sites: ReadonlyMap<string, PromiseSite>,
  carriers: readonly Carrier[],
  costCurrency: string,
  onAuthorised: (provider: PaymentProvider, reference: string) => void,
  contended: ContendedWrites,
  batch: StatementBatch,
  imported?: ImportedFrom,
): Promise<OrderView> {
  const ids = { id: newRowId(), number: c.orderNumber };
  // Events and timeline entries are written once each, at the end: one insert per table, not per step.
  const pending: PendingWrites = { events: [], timeline: [], linked: new Map(), batch };
  const taken = await takeStock(tx, source, c, actor, now, ids, contended, pending.events, batch);
  const statuses = initialStatuses(c.lines.length, taken);
  // The order row goes to the batch after the stock rows and before every row that references it.
  const order = batchOrder(orderRow(c, ids, customer, statuses.order, taken, actor, now), batch);
  const lines = batchLines(lineRows(c, ids.id, statuses.lines, now), batch);
  const decisionId = await insertDecision(tx, { orderId: ids.id, actor: actor.id, decidedAt: now }, placementDecision(source.kind, taken, lines, costCurrency), batch);
  const unwritten = batchAllocations(withDecision(allocationRows(taken, ids.id, lines.map((l) => l.id), now), decisionId), batch);
  const allocations = unwritten.rows;
  pending.unwritten = { allocations: unwritten.byId, lines: [] };

  pending.timeline.push({
    order_id: ids.id,
    occurred_at: now,
    actor: actor.id,
    event: 'order.created',
    status_from: 'pending',
    status_to: statuses.order,
    details: {
      channel: c.input.channel,
      method: c.input.delivery.method,
      source: source.kind,
      ...(taken.promise ? { optionId: taken.promise.option.optionId, promisedLatest: taken.promise.option.latest } : {}),
      totalMinor: c.totals.totalMinor,
      allocations: taken.allocations.map((a) => ({ line: a.lineIndex + 1, sku: a.sku, locationId: a.locationId, quantity: a.quantity, status: a.status })),
    },
  });
  if (imported) pending.timeline.push({ order_id: ids.id, occurred_at: now, actor: actor.id, event: 'order.imported', status_from: null, status_to: null, details: { source: imported.source, ...imported.details } });
  const payments: PaymentView[] = [];
  const payment = c.input.payment;
  if (payment && c.totals.totalMinor > 0) {
    const base = { orderId: ids.id, orderNumber: ids.number, provider: payment.provider, amountMinor: c.totals.totalMinor, currency: c.input.currency };
    let row = await authorisePayment(tx, deps.payments, { ...base, ...(payment.reference ? { reference: payment.reference } : {}) }, actor, now, onAuthorised, batch);
    const operations: PaymentView['events'] = [operationView('authorise', c.totals.totalMinor, row.reference, null, actor, now)];
    pending.timeline.push(paymentEntry(ids.id, now, actor, 'payment.authorised', row.provider, row.reference, c.totals.totalMinor));
    if (c.input.delivery.method === 'carry_out' || imported?.captured) {
      const reason = imported?.captured ? `captured at ${imported.source}` : 'counter sale';
      const captured = await operatePayment(tx, deps.payments, row, 'capture', c.totals.totalMinor, actor, now, reason, batch);
      row = captured.payment;
      operations.push(operationView('capture', c.totals.totalMinor, captured.providerReference, reason, actor, now));
      pending.timeline.push(paymentEntry(ids.id, now, actor, 'payment.captured', row.provider, row.reference, c.totals.totalMinor));
    }
    payments.push(toPaymentView(row, operations));
  }
  pending.events.push(orderEvent('order.confirmed', confirmedPayload({ order, lines, allocations: [] }, { ...(c.pickup ? { pickup: c.pickup } : {}), ...(c.origin ? { origin: c.origin } : {}) })));
  const settings = c.fulfillmentSettings;
  // A release hold lets the periodic batch re-plan and merge held orders before stores see them (release-held.ts).
  await createFulfillments(tx, { order, lines, allocations, sites, settings, actor, now, ...releaseHoldEnd(settings, now), carriers, newOrder: true, pending });
  // Written with their fulfillment, after it, and before the fulfillment lines pointing to them.
  unwritten.write();
  await writeUnwrittenLines(tx, pending);
  await appendTimeline(tx, pending.timeline, batch);
  await appendEvents(tx, pending.events, batch);
  // The view from the rows just written (what loadOrder would read back), allocations in its order.
  const linked = allocations.map((a) => ({ ...a, fulfillment_id: pending.linked.get(a.id) ?? a.fulfillment_id })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return toOrderView({ order, lines, allocations: linked }, payments);
}

function operationView(operation: string, amountMinor: number, providerReference: string, reason: string | null, actor: Actor, at: Date): PaymentView['events'][number] {
  return { operation, amountMinor, providerReference, reason, actor: actor.id, occurredAt: at.toISOString() };
}

function paymentEntry(orderId: string, at: Date, actor: Actor, event: string, provider: string, reference: string, amountMinor: number): NewTimelineEntry {
  return { order_id: orderId, occurred_at: at, actor: actor.id, event, status_from: null, status_to: null, details: { provider, reference, amountMinor } };
}

export async function orderView(tx: Tx, orderId: string): Promise<OrderView> {
  const loaded = await loadOrder(tx, orderId);
  if (!loaded) throw new Error(`order ${orderId} vanished inside its transaction`);
  return toOrderView(loaded, (await paymentViews(tx, [orderId])).get(orderId) ?? []);
}

/** An authorisation the provider granted for an order that was then not written is given back. */
async function voidAuthorisation(provider: PaymentProvider, reference: string, c: CheckedOrder): Promise<void> {
  const r = await provider.void({ authorisationReference: reference, amountMinor: c.totals.totalMinor, currency: c.input.currency });
  if (!r.ok) throw new Error(`could not void authorisation ${reference} at ${provider.id}: ${r.message}`);
}

async function compensate(steps: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((e: unknown) => failures.push(e));
  if (failures.length > 0) throw new AggregateError(failures, 'payment compensation failed after the order was not written');
}

/** The claim met a committed (or, racing, just committed) run of the same key. */
function isKeyTaken(err: unknown): boolean {
  return isUniqueViolation(err, 'idempotency_key_pkey');
}

function isExternalIdTaken(err: unknown): boolean {
  return isUniqueViolation(err, 'sales_order_channel_id_external_id_key') || (isUniqueViolation(err) && /external_id/.test((err as { detail?: string }).detail ?? ''));
}
