export const networkErrorStatus = {
  location_not_found: 404,
  invalid_time_zone: 400,
} as const;
