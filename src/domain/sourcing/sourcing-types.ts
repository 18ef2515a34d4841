/**
 * The contract of the sourcing engine (`route-order.ts`), shared by the order flow and the delivery
 * promise: one implementation decides where a cart or an order is served from.
 * Money is integer minor units; weights are grams; nothing here reads a clock or a database.
 */

export interface SourcingLine {
  /** Stable within the request (order line id, or cart line index as text). */
  lineId: string;
  sku: string;
  quantity: number;
  /** Unit weight; 0 when unknown. */
  weightGrams: number;
}

/** Shipping price of one parcel from this candidate to the destination, by weight band (ascending). */
export interface WeightBand {
  maxWeightGrams: number;
  costMinor: number;
}

export interface SourcingCandidate {
  locationId: string;
  locationType: 'store' | 'warehouse' | 'supplier' | 'marketplace_seller';
  /** Units this location may give each SKU now (live ATP after pools); absent SKU = 0. */
  available: ReadonlyMap<string, number>;
  /** Units it can still pick today (daily pick capacity minus today's load); undefined = unlimited. */
  capacityLeft?: number;
  /** Great-circle distance to the destination in km (NaN when unknown): explanation only, cost is in the bands. */
  distanceKm: number;
  /** Parcel price from here to the destination for the chosen service; a parcel heavier than the last band is split. */
  shippingBands: readonly WeightBand[];
  /** Fixed cost of preparing one shipment here (handling). */
  handlingCostMinor: number;
  /** Preference expressed as money: negative = preferred (location priority, store load, learned reliability). */
  preferenceCostMinor: number;
}

export interface SourcingPolicy {
  /** Added once per shipment beyond the first. */
  splitPenaltyMinor: number;
  /** At most this many shipments (undefined = no limit). */
  maxShipments?: number;
  /** All lines from one location, or nothing is assigned. */
  shipComplete?: boolean;
  /** May a line's quantity be divided between locations when no single one has it all. */
  allowLineSplit?: boolean;
  excludedLocationIds?: readonly string[];
}

export interface AssignedLine {
  lineId: string;
  sku: string;
  quantity: number;
}

export interface PlannedShipment {
  locationId: string;
  lines: AssignedLine[];
  weightGrams: number;
  parcels: number;
  /** handling + shipping + preference for this shipment (split penalty is counted on the plan). */
  costMinor: number;
  breakdown: { handlingMinor: number; shippingMinor: number; preferenceMinor: number };
}

export interface Shortfall {
  lineId: string;
  sku: string;
  /** Units no candidate can serve under the policy (backorder / pre-order / refusal is the caller's call). */
  quantity: number;
}

/** Where the cost of a plan goes (minor units); `splitPenaltyMinor` is counted once per extra shipment. */
export interface CostSplit {
  handlingMinor: number;
  shippingMinor: number;
  preferenceMinor: number;
  splitPenaltyMinor: number;
}

/** One rejected alternative and why, for the explanation stored with every decision. */
export interface SourcingAlternative {
  description: string;
  locationIds: string[];
  totalCostMinor: number;
  /** Units this alternative would leave unserved that the chosen plan serves (absent when none). */
  unitsShort?: number;
  /** Its cost by component, to say which one made it lose. */
  costs?: CostSplit;
}

export interface SourcingPlan {
  shipments: PlannedShipment[];
  shortfalls: Shortfall[];
  totalCostMinor: number;
  /** True when the plan is proven optimal under the cost model; otherwise `gap` bounds the distance to it. */
  optimal: boolean;
  /** (cost - lower bound) / cost, 0 when optimal. */
  gap: number;
  /** Other plans and their costs, for the explanation (empty when routed with `explain: false`). */
  alternatives: SourcingAlternative[];
  /** Algorithm used: 'exact-dp' | 'exact-dp+bb' (proven optimal) | 'heuristic' (see gap) | 'ship-complete'. */
  method: string;
}
