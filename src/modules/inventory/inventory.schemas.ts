import { Type, type Static } from 'typebox';
import { LocationId, Sku, StringEnum, Timestamp } from '../../http/schemas.js';

const Quantity = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });
const Source = Type.String({ minLength: 1, maxLength: 200, description: 'feed name or message id, kept in the ledger' });

export const SetStockInput = Type.Object(
  {
    onHand: Quantity,
    asOf: Type.String({ format: 'date-time', description: 'source time of the count: an older message never overwrites a newer one' }),
    safetyStock: Type.Optional(Quantity),
    source: Type.Optional(Source),
  },
  { additionalProperties: false },
);
export type SetStockInput = Static<typeof SetStockInput>;

export const Position = Type.Object({
  sku: Sku,
  locationId: LocationId,
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  safetyStock: Type.Integer(),
  atp: Type.Integer(),
  lastSetAt: Type.Union([Timestamp, Type.Null()]),
});
export type Position = Static<typeof Position>;

export const SetStockResult = Type.Object({
  applied: Type.Boolean(),
  reason: Type.Optional(Type.Literal('stale')),
  changed: Type.Boolean(),
  position: Position,
});
export type SetStockResult = Static<typeof SetStockResult>;

export const MAX_MOVEMENTS = 10_000;

export const Movement = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 200 }),
    locationId: LocationId,
    sku: Sku,
    delta: Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000, description: 'non-zero change of on hand' }),
    reason: Type.Optional(Type.String({ maxLength: 100 })),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type Movement = Static<typeof Movement>;

export const MovementsInput = Type.Object(
  { movements: Type.Array(Movement, { minItems: 1, maxItems: MAX_MOVEMENTS }) },
  { additionalProperties: false },
);
export type MovementsInput = Static<typeof MovementsInput>;

export const MovementsResult = Type.Object({
  applied: Type.Integer(),
  duplicates: Type.Array(Type.String()),
  stale: Type.Array(Type.String(), { description: 'occurred before the last absolute count, which already includes them' }),
  clamped: Type.Array(
    Type.Object({ eventId: Type.String(), sku: Type.String(), locationId: Type.String(), delta: Type.Integer(), applied: Type.Integer() }),
    { description: 'would have driven on hand below 0: on hand was set to 0 instead' },
  ),
});
export type MovementsResult = Static<typeof MovementsResult>;

export const SnapshotItem = Type.Object({ sku: Sku, onHand: Quantity }, { additionalProperties: false });
export type SnapshotItem = Static<typeof SnapshotItem>;

export const MAX_SNAPSHOT_ITEMS = 500_000;

export const SnapshotInput = Type.Object(
  {
    locationId: LocationId,
    asOf: Type.String({ format: 'date-time' }),
    items: Type.Array(SnapshotItem, { maxItems: MAX_SNAPSHOT_ITEMS }),
    source: Type.Optional(Source),
  },
  { additionalProperties: false },
);
export type SnapshotInput = Static<typeof SnapshotInput>;

export const SnapshotQuery = Type.Object({
  locationId: Type.Optional(LocationId),
  asOf: Type.Optional(Type.String({ format: 'date-time' })),
  source: Type.Optional(Source),
});

export const OversoldPosition = Type.Object({ sku: Type.String(), onHand: Type.Integer(), reserved: Type.Integer() });

export const SnapshotResult = Type.Object({
  locationId: Type.String(),
  asOf: Timestamp,
  received: Type.Integer({ description: 'rows in the snapshot' }),
  created: Type.Integer({ description: 'positions that did not exist before' }),
  changed: Type.Integer({ description: 'positions whose on hand changed (one ledger row and one stock.changed each)' }),
  zeroed: Type.Integer({ description: 'positions of the location absent from the snapshot that held stock and were set to 0 (also counted in changed)' }),
  stale: Type.Integer({ description: 'positions kept because a newer absolute count was already applied' }),
  oversoldCount: Type.Integer(),
  oversoldPositions: Type.Array(OversoldPosition, {
    description: 'reserved > on hand after the snapshot (open reservations are kept whole); first 1,000. The shortfall resolver frees them right after (holds first, then orders not picked yet, re-sourced elsewhere)',
  }),
});
export type SnapshotResult = Static<typeof SnapshotResult>;

export const ShortfallReport = Type.Object({
  positions: Type.Integer({ description: 'oversold positions looked at (changed since last looked at)' }),
  resolved: Type.Integer({ description: 'positions left with reserved ≤ on hand' }),
  unresolved: Type.Array(Type.Object({ sku: Type.String(), locationId: Type.String(), shortfall: Type.Integer() }), {
    description: 'still oversold: every unit left is picked or further (looked at again once the position changes), or a step lost a race (next run)',
  }),
  holdUnits: Type.Integer({ description: 'units freed from cart and promise holds' }),
  orderUnits: Type.Integer({ description: 'units taken from orders not picked yet' }),
  orders: Type.Integer({ description: 'order fulfillments whose lost units were re-routed, backordered or cancelled' }),
  cancelledUnits: Type.Integer({ description: 'lost order units nothing could serve: cancelled, money voided or refunded' }),
  failures: Type.Integer({ description: 'steps left for the next run (a race with another command)' }),
});

export const LedgerRow = Type.Object({
  id: Type.Integer(),
  sku: Type.String(),
  locationId: Type.String(),
  occurredAt: Timestamp,
  cause: Type.String(),
  onHandBefore: Type.Integer(),
  onHandAfter: Type.Integer(),
  reservedBefore: Type.Integer(),
  reservedAfter: Type.Integer(),
  source: Type.Union([Type.String(), Type.Null()]),
  reference: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
});
export type LedgerRow = Static<typeof LedgerRow>;

export const StockHold = Type.Object({
  kind: StringEnum(['cart', 'promise', 'order'] as const, { description: 'a cart reservation, a held delivery promise, or units an order holds until it ships' }),
  id: Type.String({ description: 'reservation id, or order allocation id' }),
  holdId: Type.Union([Type.String(), Type.Null()], { description: 'GET /v1/reservations/{id} of a cart hold' }),
  locationId: Type.String(),
  quantity: Type.Integer(),
  channelId: Type.Union([Type.String(), Type.Null()]),
  reference: Type.Union([Type.String(), Type.Null()]),
  order: Type.Union([Type.Object({ id: Type.String(), number: Type.String() }), Type.Null()]),
  createdAt: Timestamp,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
});
export type StockHold = Static<typeof StockHold>;

export const LOCATION_TYPES = ['store', 'warehouse', 'supplier', 'marketplace_seller'] as const;

export const SafetyScopeInput = Type.Object(
  { sku: Type.Optional(Sku), locationId: Type.Optional(LocationId), locationType: Type.Optional(StringEnum(LOCATION_TYPES)) },
  { additionalProperties: false },
);
export type SafetyScopeInput = Static<typeof SafetyScopeInput>;

export const SafetyRuleInput = Type.Object(
  { sku: Type.Optional(Sku), locationId: Type.Optional(LocationId), locationType: Type.Optional(StringEnum(LOCATION_TYPES)), quantity: Quantity },
  { additionalProperties: false },
);
export type SafetyRuleInput = Static<typeof SafetyRuleInput>;

export const SafetyRule = Type.Object({
  id: Type.Integer(),
  sku: Type.Union([Type.String(), Type.Null()]),
  locationId: Type.Union([Type.String(), Type.Null()]),
  locationType: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.Integer(),
  updatedAt: Timestamp,
});
export type SafetyRule = Static<typeof SafetyRule>;

export const SUPPLY_KINDS = ['purchase_order', 'transfer'] as const;

export const SupplyInput = Type.Object(
  {
    kind: StringEnum(SUPPLY_KINDS),
    reference: Type.String({ minLength: 1, maxLength: 100 }),
    lines: Type.Array(
      Type.Object({ sku: Sku, locationId: LocationId, quantity: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }), expectedAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 5_000 },
    ),
  },
  { additionalProperties: false },
);
export type SupplyInput = Static<typeof SupplyInput>;

export const SupplyLine = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  reference: Type.String(),
  sku: Type.String(),
  locationId: Type.String(),
  quantity: Type.Integer(),
  expectedAt: Timestamp,
  status: Type.String(),
});
export type SupplyLine = Static<typeof SupplyLine>;

export const AtpByDate = Type.Object({
  sku: Type.String(),
  locationId: Type.Union([Type.String(), Type.Null()]),
  points: Type.Array(Type.Object({ at: Timestamp, incoming: Type.Integer(), atp: Type.Integer(), overdue: Type.Boolean() })),
});
