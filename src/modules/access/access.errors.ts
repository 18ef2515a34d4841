export const accessErrorStatus = {
  api_key_not_found: 404,
  location_out_of_scope: 403,
} as const;
