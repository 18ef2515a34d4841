export const channelErrorStatus = {
  channel_not_found: 404,
  channel_type_mismatch: 400,
  invalid_channel_pool: 400,
  unknown_locations: 422,
  unknown_channels: 422,
} as const;
