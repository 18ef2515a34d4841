export const promiseErrorStatus = {
  unknown_sku: 422,
  channel_inactive: 422,
  pickup_location_invalid: 422,
  option_unavailable: 409,
  capacity_exhausted: 409,
  promise_hold_not_found: 404,
  promise_hold_not_active: 409,
  promise_hold_expired: 409,
  promise_cart_mismatch: 422,
  carrier_not_found: 404,
} as const;
