export const notificationsErrorStatus = {
  invalid_unsubscribe_token: 400,
  invalid_address: 400,
  suppression_not_found: 404,
} as const;
