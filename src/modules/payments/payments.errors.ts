export const paymentsErrorStatus = {
  unknown_payment_provider: 422,
  invalid_payment_amount: 422,
  payment_already_authorised: 409,
  payment_exceeds_authorisation: 409,
  refund_exceeds_captured: 409,
  payment_declined: 402,
} as const;
