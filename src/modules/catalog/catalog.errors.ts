export const catalogErrorStatus = {
  product_not_found: 404,
  unknown_currency: 400,
  import_invalid: 400,
} as const;
