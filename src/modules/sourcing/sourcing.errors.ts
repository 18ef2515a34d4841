export const sourcingErrorStatus = {
  routing_policy_not_found: 404,
  routing_policy_invalid: 422,
  unknown_routing_policy: 422,
  routing_policy_version_not_found: 422,
  routing_assignment_not_found: 404,
} as const;
