/** Codes of the returns context (it also answers order_not_found, line_not_found, unknown_channel, carrier_unavailable and label_failed). */
export const returnsErrorStatus = {
  return_not_found: 404,
  return_label_not_found: 404,
  return_quantity_exceeded: 409,
  return_window_closed: 422,
  return_lines_invalid: 422,
  return_destination_invalid: 422,
  return_location_out_of_scope: 403,
  invalid_return_transition: 409,
  return_receipt_mismatch: 422,
  exchange_invalid: 422,
  exchange_payment_required: 422,
  exchange_already_shipped: 409,
  store_credit_needs_customer: 422,
} as const;
