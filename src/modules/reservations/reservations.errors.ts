export const reservationsErrorStatus = {
  insufficient_stock: 409,
  unknown_position: 422,
  unknown_channel: 422,
  location_not_eligible: 422,
  hold_not_found: 404,
  hold_not_active: 409,
  hold_expired: 409,
} as const;
