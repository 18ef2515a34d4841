import { locationPreferenceCost, type PreferenceWeights } from './location-preference.js';
import type { SourcingCandidate, SourcingPolicy } from './sourcing-types.js';

export type SourcingLocationType = SourcingCandidate['locationType'];
export const SOURCING_LOCATION_TYPES: readonly SourcingLocationType[] = ['store', 'warehouse', 'supplier', 'marketplace_seller'];

/**
 * A routing policy's rules: overrides of the cost model the sourcing engine minimises, stored as data
 * and versioned. Every field is optional; an absent field keeps the promise settings' value, so a policy
 * with no rules is today's behaviour ("lowest cost"). Examples: "minimise splits" = a split penalty far
 * above any parcel price; "warehouse before stores" = a preference bonus on warehouses (negative money is
 * preferred); "nearest store first" = a cost per km to the destination; `excludedLocationTypes:
 * ['supplier']` = no drop-ship.
 */
export interface RoutingRules {
  splitPenaltyMinor?: number;
  maxShipments?: number;
  shipComplete?: boolean;
  allowLineSplit?: boolean;
  excludedLocationTypes?: SourcingLocationType[];
  priorityValueMinor?: number;
  unreliabilityCostMinor?: number;
  loadCostMinor?: number;
  /** Added per km between the location and the destination (the pickup store for transfers). */
  distanceCostMinorPerKm?: number;
  /** Per location type: handling replacing each location's own, and a preference added to its cost. */
  locationTypes?: Partial<Record<SourcingLocationType, { handlingCostMinor?: number; preferenceMinor?: number }>>;
}

/** Which policy (and version) a decision was made under. Version 0 is the built-in default. */
export interface PolicyRef {
  id: string;
  version: number;
  name: string;
}

export const DEFAULT_POLICY_REF: PolicyRef = { id: 'default', version: 0, name: 'Default (promise settings: lowest cost)' };

/** The cost-model figures of the promise settings that a policy may override. */
export interface CostDefaults extends PreferenceWeights {
  splitPenaltyMinor: number;
  /** Falsy = no limit. */
  maxShipments?: number;
}

/** What the engine is given under a policy: the sourcing constraints and how each candidate is priced. */
export interface CostParameters {
  policy: PolicyRef;
  sourcing: Omit<SourcingPolicy, 'excludedLocationIds'>;
  preference: PreferenceWeights;
  distanceCostMinorPerKm: number;
  excludedLocationTypes: readonly SourcingLocationType[];
  locationTypes: Record<SourcingLocationType, { handlingCostMinor?: number; preferenceMinor: number }>;
}

/**
 * The cost-model parameters of a policy (pure). With no rules it gives exactly what sourcing used before
 * policies existed: the settings' split penalty and shipment limit, line splits allowed, the settings'
 * preference weights, no distance term, no exclusion. Example: `{ splitPenaltyMinor: 100000 }` over the
 * defaults changes only `sourcing.splitPenaltyMinor`.
 */
export function costParameters(policy: PolicyRef, rules: RoutingRules, defaults: CostDefaults): CostParameters {
  const maxShipments = rules.maxShipments ?? defaults.maxShipments;
  const locationTypes = Object.fromEntries(
    SOURCING_LOCATION_TYPES.map((t) => {
      const r = rules.locationTypes?.[t];
      return [t, { ...(r?.handlingCostMinor !== undefined ? { handlingCostMinor: r.handlingCostMinor } : {}), preferenceMinor: r?.preferenceMinor ?? 0 }];
    }),
  ) as CostParameters['locationTypes'];
  return {
    policy,
    sourcing: {
      splitPenaltyMinor: rules.splitPenaltyMinor ?? defaults.splitPenaltyMinor,
      allowLineSplit: rules.allowLineSplit ?? true,
      ...(maxShipments ? { maxShipments } : {}),
      ...(rules.shipComplete ? { shipComplete: true } : {}),
    },
    preference: {
      priorityValueMinor: rules.priorityValueMinor ?? defaults.priorityValueMinor,
      unreliabilityCostMinor: rules.unreliabilityCostMinor ?? defaults.unreliabilityCostMinor,
      loadCostMinor: rules.loadCostMinor ?? defaults.loadCostMinor,
    },
    distanceCostMinorPerKm: rules.distanceCostMinorPerKm ?? 0,
    excludedLocationTypes: [...new Set(rules.excludedLocationTypes ?? [])].sort(),
    locationTypes,
  };
}

/** What a location brings to its price under a policy (its distance is to this option's destination). */
export interface PricedLocation {
  type: SourcingLocationType;
  handlingCostMinor: number;
  priority: number;
  dataReliability: number;
  /** Share of today's pick capacity already committed (0 without a limit). */
  loadShare: number;
  /** NaN when unknown: no distance cost then. */
  distanceKm: number;
}

/** A candidate's handling and preference costs under the policy, or undefined when its type is excluded. */
export function candidateCosts(p: CostParameters, l: PricedLocation): { handlingCostMinor: number; preferenceCostMinor: number } | undefined {
  if (p.excludedLocationTypes.includes(l.type)) return undefined;
  const byType = p.locationTypes[l.type];
  const distance = Number.isFinite(l.distanceKm) ? Math.round(l.distanceKm * p.distanceCostMinorPerKm) : 0;
  return {
    handlingCostMinor: byType.handlingCostMinor ?? l.handlingCostMinor,
    preferenceCostMinor: locationPreferenceCost(l, p.preference) + byType.preferenceMinor + distance,
  };
}

/** Why rules cannot be stored (schema checks aside), or undefined when they can. */
export function rulesProblem(rules: RoutingRules): string | undefined {
  const excluded = new Set(rules.excludedLocationTypes ?? []);
  if (SOURCING_LOCATION_TYPES.every((t) => excluded.has(t))) return 'a policy cannot exclude every location type: nothing could ever be sourced';
  if (rules.shipComplete && rules.allowLineSplit) return 'shipComplete and allowLineSplit contradict each other: a ship-complete order never divides a line';
  for (const t of excluded) {
    if (rules.locationTypes?.[t]) return `location type ${t} is excluded and priced at once`;
  }
  return undefined;
}

/** The delivery methods an assignment is made for (a counter sale is never sourced). */
export type PolicyMethod = 'ship' | 'pickup' | 'reserve_and_collect';
export const POLICY_METHODS: readonly PolicyMethod[] = ['ship', 'pickup', 'reserve_and_collect'];

export interface StoredPolicyVersion {
  id: string;
  version: number;
  name: string;
  rules: RoutingRules;
}

/** Every stored policy version and the assignments, as sourcing reads them. */
export interface RoutingTable {
  /** By `${id}@${version}`. */
  versions: ReadonlyMap<string, StoredPolicyVersion>;
  latest: ReadonlyMap<string, number>;
  /** By `${channelId}/${method}`; a null version follows the policy's latest one. */
  assignments: ReadonlyMap<string, { policyId: string; version: number | null }>;
}

/**
 * The policy version that applies to a channel and delivery method: its assignment (pinned version, or
 * the latest), else the stored policy `default` (latest), else none (the built-in default).
 */
export function assignedPolicy(table: RoutingTable, channelId: string, method: PolicyMethod): StoredPolicyVersion | undefined {
  const a = table.assignments.get(`${channelId}/${method}`) ?? { policyId: 'default', version: null };
  const version = a.version ?? table.latest.get(a.policyId);
  return version === undefined ? undefined : table.versions.get(`${a.policyId}@${version}`);
}

/** The cost-model parameters of each delivery method for a channel (built-in default where none applies). */
export function channelCostParameters(table: RoutingTable | undefined, channelId: string, defaults: CostDefaults): Record<PolicyMethod, CostParameters> {
  const of = (method: PolicyMethod): CostParameters => {
    const stored = table ? assignedPolicy(table, channelId, method) : undefined;
    return stored ? costParameters({ id: stored.id, version: stored.version, name: stored.name }, stored.rules, defaults) : costParameters(DEFAULT_POLICY_REF, {}, defaults);
  };
  return { ship: of('ship'), pickup: of('pickup'), reserve_and_collect: of('reserve_and_collect') };
}
