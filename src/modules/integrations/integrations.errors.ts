export const integrationsErrorStatus = {
  shopify_order_unmappable: 422,
} as const;
