import crypto from 'node:crypto';
import type pg from 'pg';
import type { PromiseOption } from '../../src/domain/promise/delivery-promise.js';
import { computePromiseFor, type PromiseDeps } from '../../src/modules/promise/compute-promise.js';
import type { OrderBody } from './order-intake.js';
import { newRowId } from '../../src/db/row-id.js';

/**
 * The G1 baseline: one PL/pgSQL call per order writing, in the product's own tables, the rows POST
 * /v1/orders leaves for a simple shipped order (counted on a real order, see bench/README.md):
 * customer (upsert), sales_order (number from the product's sequence), 3 order_line, 3 reservation
 * (consumed), 3 order_allocation, fulfillment_order + 3 fulfillment_line, payment + payment_event,
 * 3 order_timeline, promise_hold (consumed), idempotency_key with the response body, 3 guarded
 * stock_position updates in (sku, location) order with their 3 ledger rows, the pick load added to
 * one of its location's slots within the daily capacity (add_pick_loads), and 5 outbox rows
 * (3 stock.changed, order.confirmed, fulfillment.created) with the product's payload shapes, so the
 * product's background consumers (notifications, availability view) get the same work. Its ids are
 * time-ordered like the product's (newRowId; the customer's from the same uuid_v7() default), but the
 * promise token, random in both.
 *
 * It is the fast form: rows are written once in their final state (the product inserts then updates
 * reservations, promise hold, allocations and key), ids come from the caller, and the contended rows
 * (stock positions, pick load) are written last so their locks are held only until the commit.
 * The sourcing decision is not part of it: the caller passes the option the product's own promise
 * engine computed for the same cart (`baselineDoc`).
 */
export const PLACE_ORDER_FUNCTION = `
CREATE OR REPLACE FUNCTION bench_place_order(d jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_at timestamptz := (d->>'at')::timestamptz;
  v_actor text := d->>'actor';
  v_order uuid := (d->>'orderId')::uuid;
  v_hold uuid := (d->>'holdId')::uuid;
  v_token uuid := (d->>'token')::uuid;
  v_payment uuid := (d->>'paymentId')::uuid;
  v_total bigint := (d->'totals'->>'totalMinor')::bigint;
  v_email text := d->'customer'->>'email';
  v_customer uuid;
  v_number text;
  v_view jsonb;
  v_payment_ref text := 'manual-' || gen_random_uuid();
  r record;
  s record;
BEGIN
  INSERT INTO customer (email, email_key, name, marketing_opt_out, created_at, updated_at)
  VALUES (v_email, lower(v_email), d->'customer'->>'name', false, v_at, v_at)
  ON CONFLICT DO NOTHING RETURNING id INTO v_customer;
  IF v_customer IS NULL THEN
    SELECT id INTO v_customer FROM customer WHERE email_key = lower(v_email);
  END IF;
  v_number := 'ORD-' || extract(year FROM v_at)::int || '-' || lpad(nextval('sales_order_number_seq')::text, 6, '0');

  INSERT INTO sales_order (id, number, channel_id, channel_type, customer_id, contact, currency, delivery_method, service, address,
                           status, subtotal_minor, discount_minor, shipping_minor, total_minor,
                           promise_earliest, promise_latest, promise_confidence, promise_option, promise_token, created_by, created_at, updated_at)
  VALUES (v_order, v_number, d->>'channel', d->>'channelType', v_customer, d->'contact', d->>'currency', 'ship', d->>'service', d->'address',
          'allocated', (d->'totals'->>'subtotalMinor')::bigint, 0, 0, v_total,
          (d->'option'->'window'->>'earliest')::timestamptz, (d->'option'->'window'->>'latest')::timestamptz,
          (d->'option'->>'confidence')::float8, d->'option', v_token, v_actor, v_at, v_at);

  INSERT INTO fulfillment_order (id, number, order_id, location_id, kind, status, service, planned_carrier, promised_earliest, promised_latest,
                                 confidence, due_at, accept_by, created_at, updated_at)
  SELECT f.id, v_number || '-F' || f.seq, v_order, f."locationId", 'ship', 'pending', d->>'service', f.carrier, f.earliest, f.latest,
         f.confidence, f."dueAt", f."acceptBy", v_at, v_at
  FROM jsonb_to_recordset(d->'fulfillments') AS f(id uuid, seq int, "locationId" text, carrier jsonb, earliest text, latest text, confidence float8, "dueAt" timestamptz, "acceptBy" timestamptz);

  INSERT INTO order_line (id, order_id, position, sku, name, quantity, unit_price_minor, total_minor, status, updated_at)
  SELECT l."lineId", v_order, l.position, l.sku, l.name, l.quantity, l."unitPriceMinor", l."totalMinor", 'allocated', v_at
  FROM jsonb_to_recordset(d->'lines') AS l("lineId" uuid, position int, sku text, name text, quantity int, "unitPriceMinor" bigint, "totalMinor" bigint);

  INSERT INTO reservation (id, hold_id, sku, location_id, channel_id, quantity, status, reference, expires_at, created_at, ended_at, ended_by)
  SELECT a."reservationId", v_hold, a.sku, a."locationId", d->>'channel', a.quantity, 'consumed', 'promise:' || v_token,
         v_at + interval '15 minutes', v_at, v_at, v_actor
  FROM jsonb_to_recordset(d->'allocations') AS a("reservationId" uuid, sku text, "locationId" text, quantity int);

  INSERT INTO order_allocation (id, order_id, line_id, sku, location_id, quantity, status, hold_id, reservation_id, transfer, carrier,
                                departure_date, pick_day, earliest, latest, confidence, created_at, fulfillment_id)
  SELECT a.id, v_order, a."lineId", a.sku, a."locationId", a.quantity, 'reserved', v_hold, a."reservationId", false, a.carrier,
         a."departureDate", a."pickDay", a.earliest, a.latest, a.confidence, v_at, a."fulfillmentId"
  FROM jsonb_to_recordset(d->'allocations') AS a(id uuid, "lineId" uuid, sku text, "locationId" text, quantity int, "reservationId" uuid,
       carrier jsonb, "departureDate" date, "pickDay" date, earliest text, latest text, confidence float8, "fulfillmentId" uuid);

  INSERT INTO fulfillment_line (fulfillment_id, order_line_id, allocation_id, sku, quantity)
  SELECT a."fulfillmentId", a."lineId", a.id, a.sku, a.quantity
  FROM jsonb_to_recordset(d->'allocations') AS a(id uuid, "lineId" uuid, sku text, quantity int, "fulfillmentId" uuid);

  INSERT INTO payment (id, order_id, provider, reference, currency, authorised_minor, status, created_at, updated_at)
  VALUES (v_payment, v_order, 'manual', v_payment_ref, d->>'currency', v_total, 'authorised', v_at, v_at);
  INSERT INTO payment_event (payment_id, operation, amount_minor, provider_reference, actor, occurred_at)
  VALUES (v_payment, 'authorise', v_total, v_payment_ref, v_actor, v_at);

  INSERT INTO order_timeline (order_id, occurred_at, actor, event, status_from, status_to, details)
  SELECT v_order, v_at, v_actor, 'order.created', 'pending', 'allocated',
         jsonb_build_object('channel', d->>'channel', 'method', 'ship', 'source', 'promise', 'optionId', d->'option'->>'optionId',
                            'promisedLatest', d->'option'->>'latest', 'totalMinor', v_total,
                            'allocations', (SELECT jsonb_agg(jsonb_build_object('line', a.position, 'sku', a.sku, 'locationId', a."locationId", 'quantity', a.quantity, 'status', 'reserved'))
                                            FROM jsonb_to_recordset(d->'allocations') AS a(position int, sku text, "locationId" text, quantity int)))
  UNION ALL
  SELECT v_order, v_at, v_actor, 'payment.authorised', NULL, NULL, jsonb_build_object('provider', 'manual', 'reference', v_payment_ref, 'amountMinor', v_total)
  UNION ALL
  SELECT v_order, v_at, v_actor, 'fulfillment.created', NULL, 'pending',
         jsonb_build_object('kind', 'ship', 'dueAt', f."dueAt", 'number', v_number || '-F' || f.seq, 'locationId', f."locationId", 'fulfillmentId', f.id,
                            'units', (SELECT jsonb_agg(jsonb_build_object('sku', a.sku, 'quantity', a.quantity))
                                      FROM jsonb_to_recordset(d->'allocations') AS a(sku text, quantity int, "fulfillmentId" uuid) WHERE a."fulfillmentId" = f.id))
  FROM jsonb_to_recordset(d->'fulfillments') AS f(id uuid, seq int, "locationId" text, "dueAt" text);

  INSERT INTO promise_hold (token, hold_id, channel_id, cart_hash, destination, option, pick_load, status, expires_at, created_by, ended_at, order_id)
  VALUES (v_token, v_hold, d->>'channel', d->>'cartHash', d->'destination', d->'option', d->'pickLoads', 'consumed',
          v_at + interval '15 minutes', v_actor, v_at, v_order::text);

  INSERT INTO outbox_event (type, aggregate_type, aggregate_id, payload)
  SELECT e.type, e.aggregate_type, e.aggregate_id, e.payload FROM (
    SELECT 1 AS n, 'order.confirmed' AS type, 'order' AS aggregate_type, v_order::text AS aggregate_id,
           jsonb_build_object('orderId', v_order, 'orderNumber', v_number, 'channelId', d->>'channel', 'channelType', d->>'channelType',
                              'currency', d->>'currency', 'totals', d->'totals', 'delivery', jsonb_build_object('method', 'ship', 'service', d->>'service'),
                              'promise', jsonb_build_object('earliest', d->'option'->'window'->>'earliest', 'latest', d->'option'->'window'->>'latest', 'confidence', d->'option'->'confidence'),
                              'customer', jsonb_build_object('customerId', v_customer, 'email', v_email, 'name', d->'customer'->>'name', 'marketingOptOut', false),
                              'lines', (SELECT jsonb_agg(jsonb_build_object('lineId', l."lineId", 'sku', l.sku, 'name', l.name, 'quantity', l.quantity,
                                                                            'unitPriceMinor', l."unitPriceMinor", 'lineTotalMinor', l."totalMinor") ORDER BY l.position)
                                        FROM jsonb_to_recordset(d->'lines') AS l("lineId" uuid, position int, sku text, name text, quantity int, "unitPriceMinor" bigint, "totalMinor" bigint))) AS payload
    UNION ALL
    SELECT 1 + f.seq, 'fulfillment.created', 'order', v_order::text,
           jsonb_build_object('fulfillmentId', f.id, 'number', v_number || '-F' || f.seq, 'orderId', v_order, 'orderNumber', v_number, 'kind', 'ship',
                              'status', 'pending', 'locationId', f."locationId", 'dropShip', false, 'service', d->>'service', 'dueAt', f."dueAt",
                              'shipTo', d->'address', 'promise', jsonb_build_object('earliest', f.earliest, 'latest', f.latest),
                              'lines', (SELECT jsonb_agg(jsonb_build_object('lineId', a.id, 'orderLineId', a."lineId", 'sku', a.sku, 'name', a.name, 'quantity', a.quantity))
                                        FROM jsonb_to_recordset(d->'allocations') AS a(id uuid, "lineId" uuid, sku text, name text, quantity int, "fulfillmentId" uuid)
                                        WHERE a."fulfillmentId" = f.id))
    FROM jsonb_to_recordset(d->'fulfillments') AS f(id uuid, seq int, "locationId" text, earliest text, latest text, "dueAt" text)
  ) e ORDER BY e.n;

  v_view := jsonb_build_object(
    'id', v_order, 'number', v_number, 'channel', d->>'channel', 'channelType', d->>'channelType', 'externalId', NULL, 'status', 'allocated',
    'currency', d->>'currency', 'customer', d->'contact' || jsonb_build_object('customerId', v_customer),
    'delivery', jsonb_build_object('method', 'ship', 'service', d->>'service', 'address', d->'address', 'pickupLocationId', NULL), 'origin', NULL,
    'totals', d->'totals',
    'promise', jsonb_build_object('optionId', d->'option'->>'optionId', 'earliest', d->'option'->'window'->>'earliest', 'latest', d->'option'->'window'->>'latest',
                                  'confidence', d->'option'->'confidence', 'token', v_token, 'option', d->'option'),
    'lines', (SELECT jsonb_agg(jsonb_build_object('id', l."lineId", 'position', l.position, 'sku', l.sku, 'name', l.name, 'quantity', l.quantity,
                                                   'unitPriceMinor', l."unitPriceMinor", 'discountMinor', 0, 'orderDiscountMinor', 0, 'totalMinor', l."totalMinor",
                                                   'status', 'allocated', 'cancelledQuantity', 0,
                                                   'allocations', (SELECT jsonb_agg(jsonb_build_object('id', a.id, 'locationId', a."locationId", 'quantity', a.quantity, 'status', 'reserved',
                                                                      'holdId', v_hold, 'reservationId', a."reservationId", 'transfer', false, 'carrier', a.carrier,
                                                                      'departureDate', a."departureDate", 'availableFrom', NULL, 'earliest', a.earliest, 'latest', a.latest,
                                                                      'confidence', a.confidence, 'fulfillmentId', a."fulfillmentId"))
                                                                   FROM jsonb_to_recordset(d->'allocations') AS a(id uuid, "lineId" uuid, "locationId" text, quantity int, "reservationId" uuid,
                                                                        carrier jsonb, "departureDate" text, earliest text, latest text, confidence float8, "fulfillmentId" uuid)
                                                                   WHERE a."lineId" = l."lineId")) ORDER BY l.position)
              FROM jsonb_to_recordset(d->'lines') AS l("lineId" uuid, position int, sku text, name text, quantity int, "unitPriceMinor" bigint, "totalMinor" bigint)),
    'payments', jsonb_build_array(jsonb_build_object('id', v_payment, 'provider', 'manual', 'reference', v_payment_ref, 'currency', d->>'currency', 'status', 'authorised',
                                  'authorisedMinor', v_total, 'capturedMinor', 0, 'voidedMinor', 0, 'refundedMinor', 0, 'createdAt', v_at,
                                  'events', jsonb_build_array(jsonb_build_object('operation', 'authorise', 'amountMinor', v_total, 'providerReference', v_payment_ref,
                                                                                 'reason', NULL, 'actor', v_actor, 'occurredAt', v_at)))),
    'createdBy', v_actor, 'createdAt', v_at, 'updatedAt', v_at, 'cancelledAt', NULL, 'cancelReason', NULL);
  INSERT INTO idempotency_key (scope, key, request_hash, status_code, response_body) VALUES (d->>'scope', d->>'key', d->>'hash', 201, v_view);

  -- Contended rows last, in (sku, location) order: guarded reservation of stock, its ledger row and event.
  FOR r IN SELECT a.sku, a."locationId" AS location_id, sum(a.quantity)::int AS quantity
           FROM jsonb_to_recordset(d->'allocations') AS a(sku text, "locationId" text, quantity int)
           GROUP BY 1, 2 ORDER BY a.sku COLLATE "C", a."locationId" COLLATE "C" LOOP
    UPDATE stock_position SET reserved = reserved + r.quantity
    WHERE sku = r.sku AND location_id = r.location_id AND on_hand - reserved - safety_stock >= r.quantity
    RETURNING on_hand, reserved, safety_stock INTO s;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'insufficient_stock: % at %', r.sku, r.location_id USING ERRCODE = 'P0001';
    END IF;
    INSERT INTO inventory_ledger (sku, location_id, cause, on_hand_before, on_hand_after, reserved_before, reserved_after, source, reference, actor)
    VALUES (r.sku, r.location_id, 'reservation', s.on_hand, s.on_hand, s.reserved - r.quantity, s.reserved,
            (SELECT a."reservationId" FROM jsonb_to_recordset(d->'allocations') AS a("reservationId" text, sku text, "locationId" text)
             WHERE a.sku = r.sku AND a."locationId" = r.location_id LIMIT 1), v_hold::text, v_actor);
    INSERT INTO outbox_event (type, aggregate_type, aggregate_id, payload)
    VALUES ('stock.changed', 'stock_position', r.location_id || '/' || r.sku,
            jsonb_build_object('sku', r.sku, 'locationId', r.location_id, 'cause', 'reservation', 'onHand', s.on_hand, 'reserved', s.reserved,
                               'safetyStock', s.safety_stock, 'atp', greatest(s.on_hand - s.reserved - s.safety_stock, 0)));
  END LOOP;
  -- The product's pick-load write (migration 0026's slots, guarded by the daily capacity), in its order.
  PERFORM add_pick_loads((SELECT coalesce(json_agg(p ORDER BY (p->>'locationId') COLLATE "C", p->>'day'), '[]'::json)
                            FROM jsonb_array_elements(d->'pickLoads') p));
  RETURN v_view;
END
$fn$`;

/** What the baseline needs about a cart beyond its body: names, prices and the product's own sourcing of it. */
export interface BaselineCart {
  body: OrderBody;
  option: PromiseOption;
  names: Map<string, string>;
  prices: Map<string, number>;
  capacities: Map<string, number | null>;
}

/** The product's promise engine decides where each cart ships from (same code as POST /v1/orders, no writes). */
export async function sourceCarts(deps: PromiseDeps, pool: pg.Pool, bodies: OrderBody[]): Promise<BaselineCart[]> {
  const skus = [...new Set(bodies.flatMap((b) => b.lines.map((l) => l.sku)))];
  const products = await pool.query<{ sku: string; name: string; price: number }>(`SELECT sku, name, (prices->>'EUR')::int AS price FROM product WHERE sku = ANY($1::text[])`, [skus]);
  const names = new Map(products.rows.map((p) => [p.sku, p.name]));
  const prices = new Map(products.rows.map((p) => [p.sku, p.price]));
  const locations = await pool.query<{ id: string; capacity: number | null }>(`SELECT id, daily_pick_capacity AS capacity FROM location`);
  const capacities = new Map(locations.rows.map((l) => [l.id, l.capacity]));
  const carts: BaselineCart[] = [];
  for (const body of bodies) {
    const request = { channel: body.channel, lines: body.lines, destination: { postalCode: body.delivery.address.postalCode, country: body.delivery.address.country }, services: [body.delivery.service] };
    const computed = await computePromiseFor(deps, request);
    if (!computed.ok) throw new Error(`the product cannot promise a bench cart: ${computed.code} ${computed.message}`);
    const option = computed.value.result.options.find((o) => o.optionId === `ship:${body.delivery.service}`);
    if (!option) throw new Error(`no ship:${body.delivery.service} option for a bench cart`);
    carts.push({ body, option, names, prices, capacities });
  }
  return carts;
}


/** One call's document: the cart's fixed data plus fresh ids and Idempotency-Key. */
export function baselineDoc(cart: BaselineCart, at: Date, actor: string): string {
  const { body, option } = cart;
  const lineIds = body.lines.map(() => newRowId());
  const lines = body.lines.map((l, i) => {
    const price = cart.prices.get(l.sku) ?? 0;
    return { lineId: lineIds[i], position: i + 1, sku: l.sku, name: cart.names.get(l.sku) ?? l.sku, quantity: l.quantity, unitPriceMinor: price, totalMinor: price * l.quantity };
  });
  const subtotal = lines.reduce((sum, l) => sum + l.totalMinor, 0);
  const fulfillments = option.shipments.map((s, i) => ({
    id: newRowId(),
    seq: i + 1,
    locationId: s.locationId,
    carrier: s.carrier ?? null,
    earliest: s.earliest,
    latest: s.latest,
    confidence: s.confidence,
    dueAt: `${s.departureDate ?? s.earliest.slice(0, 10)}T21:00:00.000Z`,
    acceptBy: new Date(at.getTime() + 2 * 3600_000).toISOString(),
  }));
  const allocations = option.shipments.flatMap((s, i) =>
    s.lines.map((l) => {
      const line = lines[Number(l.lineId) - 1]!;
      return {
        id: newRowId(),
        lineId: line.lineId,
        position: line.position,
        sku: l.sku,
        name: line.name,
        locationId: s.locationId,
        quantity: l.quantity,
        reservationId: newRowId(),
        carrier: s.carrier ?? null,
        departureDate: s.departureDate ?? null,
        pickDay: s.departureDate ?? s.earliest.slice(0, 10),
        earliest: s.earliest,
        latest: s.latest,
        confidence: s.confidence,
        fulfillmentId: fulfillments[i]!.id,
      };
    }),
  );
  const loads = new Map<string, { locationId: string; day: string; units: number; capacity: number | null }>();
  for (const a of allocations) {
    const capacity = cart.capacities.get(a.locationId) ?? null;
    if (capacity === null) continue;
    const key = `${a.locationId}@${a.pickDay}`;
    const load = loads.get(key) ?? { locationId: a.locationId, day: a.pickDay, units: 0, capacity };
    load.units += a.quantity;
    loads.set(key, load);
  }
  const key = crypto.randomUUID();
  return JSON.stringify({
    at: at.toISOString(),
    actor,
    scope: `POST /v1/orders ${actor}`,
    key,
    hash: crypto.createHash('sha256').update(key).digest('hex'),
    cartHash: crypto.createHash('sha256').update(body.lines.map((l) => `${l.sku}x${l.quantity}`).join(',')).digest('hex'),
    orderId: newRowId(),
    holdId: newRowId(),
    token: crypto.randomUUID(),
    paymentId: newRowId(),
    channel: body.channel,
    channelType: 'web',
    currency: body.currency,
    service: body.delivery.service,
    customer: body.customer,
    contact: { email: body.customer.email, name: body.customer.name, marketingOptOut: false },
    address: body.delivery.address,
    destination: { destination: { postalCode: body.delivery.address.postalCode, country: body.delivery.address.country }, pickupLocationId: null },
    totals: { subtotalMinor: subtotal, discountMinor: 0, shippingMinor: 0, totalMinor: subtotal },
    option,
    lines,
    fulfillments,
    allocations,
    pickLoads: [...loads.values()],
  });
}
