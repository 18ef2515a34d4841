import { Type, type Static, type TSchema } from 'typebox';
import { ORDER_STATUSES, LINE_STATUSES } from '../../domain/orders/order-lifecycle.js';
import { StringEnum, Timestamp } from '../../http/schemas.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const TrackingLookup = Type.Object(
  {
    orderNumber: Type.String({ minLength: 1, maxLength: 64, description: 'as printed in the confirmation, e.g. ORD-2026-000123' }),
    email: Type.String({ minLength: 3, maxLength: 254, description: 'the e-mail address the order was placed with' }),
  },
  { additionalProperties: false },
);
export type TrackingLookup = Static<typeof TrackingLookup>;

export const TrackingTokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024 }) });

export const HISTORY_STEPS = ['placed', 'preparing', 'shipped', 'delivered', 'ready_for_pickup', 'collected', 'delayed', 'cancelled'] as const;
export type HistoryStep = (typeof HISTORY_STEPS)[number];

const Hours = Type.Array(Type.Object({ open: Type.String(), close: Type.String() }));

/**
 * What the public tracking page shows of an order: its progress and dates, parcels and pickup store, and
 * as little about the customer as the page needs (no name, e-mail, phone or street: the delivery place
 * is a postal code and city).
 */
export const TrackingView = Type.Object({
  orderNumber: Type.String(),
  status: StringEnum(ORDER_STATUSES),
  placedAt: Timestamp,
  delivery: Type.Object({
    method: StringEnum(['ship', 'pickup', 'reserve_and_collect', 'carry_out'] as const),
    service: Nullable(Type.String()),
    destination: Nullable(Type.Object({ postalCode: Nullable(Type.String()), city: Nullable(Type.String()), country: Nullable(Type.String()) })),
  }),
  promise: Nullable(Type.Object({ earliest: Timestamp, latest: Timestamp }, { description: 'delivery (or ready-for-pickup) window promised with the order' })),
  eta: Nullable(
    Type.Object(
      { earliest: Timestamp, latest: Timestamp, delayed: Type.Boolean({ description: 'later than the promise' }) },
      { description: 'the current estimate, as the customer was last told; null once nothing is left to come' },
    ),
  ),
  lines: Type.Array(Type.Object({ name: Type.String(), quantity: Type.Integer(), cancelledQuantity: Type.Integer(), status: StringEnum(LINE_STATUSES) })),
  shipments: Type.Array(
    Type.Object({
      carrier: Type.String(),
      service: Type.String(),
      trackingNumber: Type.String(),
      trackingUrl: Nullable(Type.String()),
      parcels: Type.Integer(),
      shippedAt: Timestamp,
      deliveredAt: Nullable(Timestamp),
      items: Type.Array(Type.Object({ name: Type.String(), quantity: Type.Integer() })),
    }),
  ),
  pickup: Nullable(
    Type.Object({
      store: Type.Object({
        name: Type.String(),
        address: Type.Object({ line1: Nullable(Type.String()), line2: Nullable(Type.String()), postalCode: Nullable(Type.String()), city: Nullable(Type.String()), country: Nullable(Type.String()) }),
        timeZone: Type.String(),
        openingHours: Type.Object({ mon: Hours, tue: Hours, wed: Hours, thu: Hours, fri: Hours, sat: Hours, sun: Hours }),
        /** Days of the coming two weeks on which the store keeps other hours (closed: empty hours). */
        exceptions: Type.Array(Type.Object({ date: Type.String(), hours: Hours })),
      }),
      ready: Type.Boolean(),
      /** Only while the order waits at the store. */
      code: Nullable(Type.String()),
      holdUntil: Nullable(Timestamp),
      readyAt: Nullable(Timestamp),
      collectedAt: Nullable(Timestamp),
    }),
  ),
  history: Type.Array(Type.Object({ step: StringEnum(HISTORY_STEPS), at: Timestamp, trackingNumber: Type.Optional(Type.String()) })),
});
export type TrackingView = Static<typeof TrackingView>;
