/** Error codes of the public order tracking. */
export const trackingErrorStatus = {
  // One answer for an unknown number, a wrong e-mail and an invalid or expired link: which orders exist is not disclosed.
  tracking_not_found: 404,
  too_many_requests: 429,
} as const;
