/** API shapes the settings screens read and write (see the network, channels, promise, sourcing, fulfillment schemas). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const LOCATION_TYPES = ['store', 'warehouse', 'supplier', 'marketplace_seller'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];
export const CAPABILITIES = ['ship', 'pickup', 'ship_from_store', 'same_day', 'returns'] as const;
export const SERVICES = ['standard', 'express', 'same_day'] as const;
export const POLICY_METHODS = ['ship', 'pickup', 'reserve_and_collect'] as const;

export interface Interval {
  open: string;
  close: string;
}
export type OpeningHours = Partial<Record<Weekday, Interval[]>>;

export interface LocationAddress {
  line1?: string;
  line2?: string;
  postalCode?: string;
  city?: string;
  country?: string;
}

/** Body of PUT /v1/locations/{id}: the whole location. */
export interface LocationInput {
  name: string;
  type: LocationType;
  address?: LocationAddress;
  latitude?: number;
  longitude?: number;
  timeZone: string;
  openingHours?: OpeningHours;
  openingExceptions?: unknown[];
  capabilities?: string[];
  dailyPickCapacity?: number | null;
  handlingCostMinor?: number;
  priority?: number;
  dataReliability?: number;
  active?: boolean;
  cutoffs?: Partial<Record<(typeof SERVICES)[number], string>>;
  processingDays?: number | null;
  pickupPrepMinutes?: number | null;
}

export interface LocationDetail extends Required<Omit<LocationInput, 'address' | 'latitude' | 'longitude'>> {
  id: string;
  address: Record<string, unknown>;
  latitude: number | null;
  longitude: number | null;
  openingExceptions: { date: string; closed?: boolean; hours?: Interval[]; note?: string }[];
  updatedAt: string;
}

export interface Protection {
  channelId: string;
  quantity: number;
}
export interface ChannelPool {
  maxShare?: number;
  maxQuantity?: number;
  protections?: Protection[];
}
export interface ChannelInput {
  name: string;
  type: string;
  eligibleLocationIds?: string[] | null;
  pool?: ChannelPool;
  active?: boolean;
}

export interface CarrierService {
  service: (typeof SERVICES)[number];
  name: string;
  originTypes: LocationType[];
  originLocationIds?: string[];
  destinationCountries: string[];
  maxDistanceKm?: number;
  pickupWeekdays: Weekday[];
  deliveryWeekdays: Weekday[];
  cutoff: string;
  lanes: { country: string; maxDistanceKm: number | null; transit: { days: number; share: number }[] }[];
  rates: { maxWeightGrams: number; costMinor: number }[];
}
export interface CarrierInput {
  name: string;
  trackingUrlTemplate?: string | null;
  active?: boolean;
  services: CarrierService[];
}
export interface Carrier extends CarrierInput {
  id: string;
  trackingUrlTemplate: string | null;
  active: boolean;
  updatedAt: string;
}

export interface TypeRules {
  handlingCostMinor?: number;
  preferenceMinor?: number;
}
export interface RoutingRules {
  splitPenaltyMinor?: number;
  maxShipments?: number;
  shipComplete?: boolean;
  allowLineSplit?: boolean;
  excludedLocationTypes?: LocationType[];
  priorityValueMinor?: number;
  unreliabilityCostMinor?: number;
  loadCostMinor?: number;
  distanceCostMinorPerKm?: number;
  locationTypes?: Partial<Record<LocationType, TypeRules>>;
}
export interface PolicyVersion {
  id: string;
  version: number;
  name: string;
  description: string;
  rules: RoutingRules;
  createdAt: string;
  createdBy: string;
}
export interface Assignment {
  channelId: string;
  deliveryMethod: string;
  policyId: string;
  pinnedVersion: number | null;
  effectiveVersion: number;
  updatedAt: string;
  updatedBy: string;
}
export interface PolicyDetail {
  id: string;
  latestVersion: number;
  versions: PolicyVersion[];
  assignments: Assignment[];
  audit: { occurredAt: string; actor: string; action: string }[];
}

export interface FulfillmentSettings {
  acceptTimeoutMinutes: number;
  pickupHoldDays: number;
  pickupReminderHours: number;
  maxPickupCodeAttempts: number;
  pickupLockMinutes: number;
  urgentMinutes: number;
  /** Minutes new ship work is held before release (batch re-planning and merging); 0 = at once. */
  releaseHoldMinutes: number;
}

export interface PromiseSettings {
  currency: string;
  confidenceTarget: number;
  earliestQuantile: number;
  priorWeight: number;
  pickupRadiusKm: number;
  maxPickupStores: number;
  splitPenaltyMinor: number;
  maxShipments: number;
  holdTtlSeconds: number;
  priorityValueMinor: number;
  unreliabilityCostMinor: number;
  loadCostMinor: number;
  locationTypes: Record<LocationType, { processingDays: number; pickupPrepMinutes: number }>;
}
