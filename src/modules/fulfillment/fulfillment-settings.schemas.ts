import { Type, type Static } from 'typebox';

export const FulfillmentSettings = Type.Object(
  {
    acceptTimeoutMinutes: Type.Integer({ minimum: 5, maximum: 10_080, description: 'open minutes a location has to accept a fulfillment before it is re-routed' }),
    pickupHoldDays: Type.Integer({ minimum: 1, maximum: 60, description: 'days a prepared pickup waits for its customer before it is cancelled and refunded' }),
    pickupReminderHours: Type.Integer({ minimum: 1, maximum: 720, description: 'hours before the hold ends when the customer is reminded' }),
    maxPickupCodeAttempts: Type.Integer({ minimum: 1, maximum: 20, description: 'wrong pickup codes in a row before the handover is locked' }),
    pickupLockMinutes: Type.Integer({ minimum: 1, maximum: 1_440, description: 'how long the handover stays locked after too many wrong codes' }),
    urgentMinutes: Type.Integer({ minimum: 5, maximum: 1_440, description: 'a fulfillment due within this many minutes is urgent in the queue' }),
    releaseHoldMinutes: Type.Integer({
      minimum: 0,
      maximum: 1_440,
      description: 'minutes a new ship fulfillment is held (invisible to the location) so held orders can be re-planned together and merged before release; 0 releases at once',
    }),
  },
  { additionalProperties: false },
);
export type FulfillmentSettings = Static<typeof FulfillmentSettings>;

export const FulfillmentSettingsPatch = Type.Partial(FulfillmentSettings, { additionalProperties: false, minProperties: 1 });
export type FulfillmentSettingsPatch = Static<typeof FulfillmentSettingsPatch>;

export const DEFAULT_FULFILLMENT_SETTINGS: FulfillmentSettings = {
  acceptTimeoutMinutes: 120,
  pickupHoldDays: 7,
  pickupReminderHours: 24,
  maxPickupCodeAttempts: 5,
  pickupLockMinutes: 15,
  urgentMinutes: 120,
  releaseHoldMinutes: 0,
};
