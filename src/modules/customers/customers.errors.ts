export const customersErrorStatus = {
  customer_not_found: 404,
  customer_query_missing: 400,
} as const;
