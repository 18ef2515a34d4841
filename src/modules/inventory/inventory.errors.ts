export const inventoryErrorStatus = {
  unknown_sku: 422,
  unknown_location: 422,
  sku_not_found: 404,
  duplicate_sku_in_snapshot: 400,
  invalid_csv: 400,
  invalid_movement: 400,
  invalid_safety_scope: 400,
  safety_stock_rule_not_found: 404,
  supply_not_found: 404,
  supply_not_open: 409,
} as const;
