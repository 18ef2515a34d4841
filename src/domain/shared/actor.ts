export const ROLES = ['admin', 'integration', 'ops', 'service', 'store'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: every state change records it. A `store` actor is scoped to its locations. */
export interface Actor {
  /** Stable label written into ledgers and timelines, e.g. `key:ordo_3f9a` or `system:expiry`. */
  id: string;
  role: Role;
  locationIds: readonly string[];
}

export const systemActor = (job: string): Actor => ({ id: `system:${job}`, role: 'admin', locationIds: [] });

export function canAccessLocation(actor: Actor, locationId: string): boolean {
  return actor.role !== 'store' || actor.locationIds.includes(locationId);
}
