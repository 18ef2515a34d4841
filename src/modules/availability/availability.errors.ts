export const availabilityErrorStatus = {
  unknown_postal_code: 400,
  too_many_skus: 400,
  channel_not_found: 404,
  availability_not_ready: 503,
} as const;
