import { Type, type Static } from 'typebox';

const TypeDefaults = Type.Object(
  {
    processingDays: Type.Integer({ minimum: 0, maximum: 30, description: 'working days before a parcel leaves' }),
    pickupPrepMinutes: Type.Integer({ minimum: 0, maximum: 10080, description: 'open minutes to prepare a pickup' }),
  },
  { additionalProperties: false },
);

export const PromiseSettings = Type.Object(
  {
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'currency of carrier rates and costs (ISO 4217)' }),
    confidenceTarget: Type.Number({ minimum: 0.5, maximum: 0.999, description: 'share of deliveries the latest date covers' }),
    earliestQuantile: Type.Number({ minimum: 0, maximum: 0.5, description: 'transit quantile the earliest date shows' }),
    priorWeight: Type.Integer({ minimum: 0, maximum: 100_000, description: 'deliveries the published transit weighs against observed ones' }),
    pickupRadiusKm: Type.Number({ exclusiveMinimum: 0, maximum: 500 }),
    maxPickupStores: Type.Integer({ minimum: 1, maximum: 20 }),
    splitPenaltyMinor: Type.Integer({ minimum: 0 }),
    maxShipments: Type.Integer({ minimum: 1, maximum: 10 }),
    holdTtlSeconds: Type.Integer({ minimum: 30, maximum: 86_400, description: 'how long a held option keeps its stock and pick capacity' }),
    /** Minor units per point of location priority, and for a location whose stock data is fully unreliable. */
    priorityValueMinor: Type.Integer({ minimum: 0 }),
    unreliabilityCostMinor: Type.Integer({ minimum: 0 }),
    loadCostMinor: Type.Integer({ minimum: 0, description: 'cost of a location whose day is fully loaded, scaled by its load' }),
    locationTypes: Type.Object(
      { store: TypeDefaults, warehouse: TypeDefaults, supplier: TypeDefaults, marketplace_seller: TypeDefaults },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PromiseSettings = Static<typeof PromiseSettings>;

export const PromiseSettingsPatch = Type.Partial(PromiseSettings, { additionalProperties: false });
export type PromiseSettingsPatch = Static<typeof PromiseSettingsPatch>;

export const DEFAULT_PROMISE_SETTINGS: PromiseSettings = {
  currency: 'EUR',
  confidenceTarget: 0.95,
  earliestQuantile: 0.1,
  priorWeight: 30,
  pickupRadiusKm: 30,
  maxPickupStores: 5,
  splitPenaltyMinor: 250,
  maxShipments: 3,
  holdTtlSeconds: 900,
  priorityValueMinor: 5,
  unreliabilityCostMinor: 400,
  loadCostMinor: 200,
  locationTypes: {
    store: { processingDays: 0, pickupPrepMinutes: 120 },
    warehouse: { processingDays: 0, pickupPrepMinutes: 60 },
    supplier: { processingDays: 2, pickupPrepMinutes: 0 },
    marketplace_seller: { processingDays: 1, pickupPrepMinutes: 0 },
  },
};
