export const webhooksErrorStatus = {
  webhook_not_found: 404,
  webhook_delivery_not_found: 404,
  invalid_webhook_url: 400,
  unknown_event_type: 400,
  replay_cursor_ahead: 400,
} as const;
