import { Type, type Static } from 'typebox';
import { POLICY_METHODS, SOURCING_LOCATION_TYPES } from '../../domain/sourcing/routing-policy.js';
import { ChannelId, StringEnum, Timestamp } from '../../http/schemas.js';

const Money = (description: string) => Type.Integer({ minimum: 0, maximum: 100_000_000, description });

const TypeRules = Type.Object(
  {
    handlingCostMinor: Type.Optional(Money("handling of one shipment at this type of location, replacing each location's own")),
    preferenceMinor: Type.Optional(Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, description: 'added to the cost of a shipment from this type of location (negative = preferred)' })),
  },
  { additionalProperties: false },
);

export const RoutingRules = Type.Object(
  {
    splitPenaltyMinor: Type.Optional(Money('added once per shipment beyond the first; a high value minimises splits')),
    maxShipments: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    shipComplete: Type.Optional(Type.Boolean({ description: 'everything from one location, or nothing' })),
    allowLineSplit: Type.Optional(Type.Boolean({ description: "may a line's units come from several locations (default true)" })),
    excludedLocationTypes: Type.Optional(Type.Array(StringEnum(SOURCING_LOCATION_TYPES), { uniqueItems: true, maxItems: 3 })),
    priorityValueMinor: Type.Optional(Money('per point of location priority')),
    unreliabilityCostMinor: Type.Optional(Money('for a location whose stock data is fully unreliable')),
    loadCostMinor: Type.Optional(Money("for a location whose day is fully loaded, scaled by its load")),
    distanceCostMinorPerKm: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'per km to the destination: "nearest first"' })),
    locationTypes: Type.Optional(
      Type.Object(
        { store: Type.Optional(TypeRules), warehouse: Type.Optional(TypeRules), supplier: Type.Optional(TypeRules), marketplace_seller: Type.Optional(TypeRules) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'overrides of the sourcing cost model; absent fields keep the promise settings' },
);

export const PolicyId = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'e.g. minimise-splits' });
export const PolicyMethod = StringEnum(POLICY_METHODS);

export const PutRoutingPolicyInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    rules: RoutingRules,
  },
  { additionalProperties: false },
);
export type PutRoutingPolicyInput = Static<typeof PutRoutingPolicyInput>;

export const PolicyVersionView = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  rules: RoutingRules,
  createdAt: Timestamp,
  createdBy: Type.String(),
});
export type PolicyVersionView = Static<typeof PolicyVersionView>;

export const AssignmentInput = Type.Object(
  {
    policyId: PolicyId,
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'pin this version; absent: always the latest' })),
  },
  { additionalProperties: false },
);
export type AssignmentInput = Static<typeof AssignmentInput>;

export const AssignmentView = Type.Object({
  channelId: Type.String(),
  deliveryMethod: Type.String(),
  policyId: Type.String(),
  pinnedVersion: Type.Union([Type.Integer(), Type.Null()], { description: 'null: the latest version applies' }),
  effectiveVersion: Type.Integer(),
  updatedAt: Timestamp,
  updatedBy: Type.String(),
});
export type AssignmentView = Static<typeof AssignmentView>;

export const PolicyDetailView = Type.Object({
  id: Type.String(),
  latestVersion: Type.Integer(),
  versions: Type.Array(PolicyVersionView, { description: 'newest first' }),
  assignments: Type.Array(AssignmentView),
  audit: Type.Array(Type.Object({ occurredAt: Timestamp, actor: Type.String(), action: Type.String() })),
});
export type PolicyDetailView = Static<typeof PolicyDetailView>;

export const AssignmentParams = Type.Object({ channelId: ChannelId, method: PolicyMethod });

const Unit = Type.Object({ lineId: Type.Optional(Type.String()), sku: Type.String(), quantity: Type.Integer() });
const CostSplitView = Type.Object({ handlingMinor: Type.Integer(), shippingMinor: Type.Integer(), preferenceMinor: Type.Integer(), splitPenaltyMinor: Type.Integer() });

export const DecisionView = Type.Object({
  id: Type.String(),
  decidedAt: Timestamp,
  actor: Type.String(),
  trigger: Type.String({ description: 'order_placed | delivery_changed | pickup_store_changed | rerouted | backorder_served' }),
  cause: Type.Union([Type.String(), Type.Null()], { description: 're-routes: rejected | timeout | short_pick | ops_reroute' }),
  fulfillmentId: Type.Union([Type.String(), Type.Null()]),
  optionId: Type.Union([Type.String(), Type.Null()]),
  summary: Type.String({ description: 'the decision in one plain sentence' }),
  units: Type.Array(Unit),
  chosen: Type.Object({
    totalCostMinor: Type.Union([Type.Integer(), Type.Null()]),
    costs: Type.Union([CostSplitView, Type.Null()]),
    shipments: Type.Array(
      Type.Object({
        locationId: Type.String(),
        lines: Type.Array(Unit),
        costMinor: Type.Union([Type.Integer(), Type.Null()]),
        transfer: Type.Optional(Type.Boolean()),
        availableFrom: Type.Optional(Type.String()),
      }),
    ),
  }),
  candidates: Type.Union([Type.Integer(), Type.Null()]),
  alternatives: Type.Array(
    Type.Object({
      description: Type.String(),
      locationIds: Type.Array(Type.String()),
      totalCostMinor: Type.Integer(),
      unitsShort: Type.Optional(Type.Integer()),
      costs: Type.Optional(CostSplitView),
      extraCostMinor: Type.Integer(),
      reason: Type.String(),
    }),
  ),
  excluded: Type.Array(Type.Object({ locationId: Type.String(), reason: Type.String() })),
  unserved: Type.Array(Unit),
  optimal: Type.Union([Type.Boolean(), Type.Null()]),
  gap: Type.Union([Type.Number(), Type.Null()]),
  method: Type.String(),
  policy: Type.Union([Type.Object({ id: Type.String(), version: Type.Integer(), name: Type.String() }), Type.Null()]),
  currency: Type.String(),
  allocationIds: Type.Array(Type.String()),
});
export type DecisionView = Static<typeof DecisionView>;

export const OrderSourcingView = Type.Object({ orderId: Type.String(), number: Type.String(), items: Type.Array(DecisionView) });
export type OrderSourcingView = Static<typeof OrderSourcingView>;
