import type { PolicyRef } from './routing-policy.js';
import type { CostSplit, SourcingAlternative } from './sourcing-types.js';

/**
 * A sourcing decision as stored with the allocations it made: what was asked, what was chosen at which
 * cost, what else was possible and why it lost, what was never a source and why. Customer service reads
 * it to answer "why from Lyon?"; nothing here reads a clock or a database.
 */
export type DecisionTrigger = 'order_placed' | 'delivery_changed' | 'pickup_store_changed' | 'rerouted' | 'backorder_served';

export interface DecisionUnit {
  /** The order line (absent only before the order's lines exist). */
  lineId?: string;
  sku: string;
  quantity: number;
}

export interface DecisionShipment {
  locationId: string;
  lines: DecisionUnit[];
  /** Null when no cost model priced it (counter sale, cart hold, supply arrival). */
  costMinor: number | null;
  /** Sent to the pickup store first. */
  transfer?: boolean;
  /** Waits for incoming supply (backorder / pre-order) arriving then. */
  availableFrom?: string;
}

export interface LosingAlternative extends SourcingAlternative {
  /** What it would have cost beyond the chosen plan (negative never happens under one cost model). */
  extraCostMinor: number;
  reason: string;
}

export interface DecisionRecord {
  trigger: DecisionTrigger;
  /** Re-routes: rejected | timeout | short_pick. */
  cause: string | null;
  optionId: string | null;
  units: DecisionUnit[];
  shipments: DecisionShipment[];
  /** The plan's cost under the policy's cost model (stock-served shipments, split penalties included). */
  totalCostMinor: number | null;
  costs: CostSplit | null;
  /** Locations that held some of the units and could ship them (after exclusions). */
  candidates: number | null;
  alternatives: LosingAlternative[];
  excluded: Array<{ locationId: string; reason: string }>;
  /** Units no location could serve (cancelled). */
  unserved: DecisionUnit[];
  optimal: boolean | null;
  gap: number | null;
  method: string;
  policy: PolicyRef | null;
  currency: string;
}

const COMPONENTS: Array<[keyof CostSplit, string]> = [
  ['shippingMinor', 'shipping'],
  ['handlingMinor', 'handling'],
  ['preferenceMinor', 'location preference (priority, reliability, load, policy)'],
  ['splitPenaltyMinor', 'split penalty'],
];

/**
 * Why an alternative lost to the chosen plan: the units it would leave unserved, or how much more it
 * costs and the cost component that grew most. Example: chosen 950 (shipping 500, handling 150, split 0),
 * alternative 2190 with two shipments (shipping 1000, handling 450, split 250, preference 490) → extra
 * 1240, reason "shipping".
 */
export function whyLost(alt: SourcingAlternative, chosenTotal: number, chosen: CostSplit | null, currency: string): LosingAlternative {
  const { costs, ...rest } = alt;
  const extra = alt.totalCostMinor - chosenTotal;
  let reason: string;
  if (alt.unitsShort) reason = `would leave ${alt.unitsShort} unit${alt.unitsShort > 1 ? 's' : ''} unserved`;
  else if (extra === 0) reason = 'same cost: the tie goes to the smallest location id';
  else if (extra < 0) reason = `${money(-extra, currency)} cheaper but not allowed under the policy's constraints`;
  else {
    let component = '';
    let most = 0;
    if (costs && chosen) {
      for (const [key, label] of COMPONENTS) {
        const delta = costs[key] - chosen[key];
        if (delta > most) [most, component] = [delta, label];
      }
    }
    reason = `${money(extra, currency)} more${component ? `: ${component}` : ''}`;
  }
  return { ...rest, extraCostMinor: extra, reason };
}

/**
 * The decision in one plain sentence, e.g. "SKU-2 ×1 from wh-lyon (9.50 €): cheapest of 3 candidates
 * (store-paris 12.40 € more: split penalty); store-lyon excluded: rejected".
 */
export function summarise(d: DecisionRecord): string {
  const plan = d.shipments.length > 0 ? d.shipments.map((s) => `${units(s.lines)} from ${s.locationId}${shipmentNote(s, d.currency)}`).join('; ') : `${units(d.units)}: no location could take them`;
  const why = d.shipments.length > 0 ? reasonText(d) : '';
  const parts = [`${lead(d)}${plan}${why ? `: ${why}` : ''}`];
  if (d.excluded.length > 0) parts.push(d.excluded.map((e) => `${e.locationId} excluded: ${e.reason}`).join(', '));
  if (d.unserved.length > 0 && d.shipments.length > 0) parts.push(`${units(d.unserved)} could not be served anywhere (cancelled)`);
  if (d.policy && d.policy.version > 0) parts.push(`policy "${d.policy.name}" (${d.policy.id} v${d.policy.version})`);
  return parts.join('; ');
}

function lead(d: DecisionRecord): string {
  switch (d.trigger) {
    case 'rerouted':
      return `re-routed after ${CAUSES[d.cause ?? ''] ?? d.cause ?? 'a change'}: `;
    case 'delivery_changed':
      return 're-sourced for the new address: ';
    case 'pickup_store_changed':
      return 're-sourced for the new pickup store: ';
    default:
      return '';
  }
}

const CAUSES: Record<string, string> = {
  rejected: 'a rejection',
  timeout: 'an acceptance time-out',
  short_pick: 'a short pick',
  ops_reroute: 'an ops request',
  batch_reoptimise: 'the batch re-optimisation of held orders',
};

function reasonText(d: DecisionRecord): string {
  switch (d.method) {
    case 'counter_sale':
      return 'sold at the counter and carried out';
    case 'cart_reservation':
      return 'the units the cart reservation held';
    case 'supply_arrival':
      return 'backorder served as the incoming supply arrived';
  }
  const total = d.totalCostMinor !== null ? `${money(d.totalCostMinor, d.currency)} in all, ` : '';
  const among = d.candidates !== null ? `cheapest of ${d.candidates} candidate${d.candidates === 1 ? '' : 's'}` : 'cheapest plan';
  // A per-line rule often lands on a plan already listed (same locations, same cost): said once.
  const seen = new Set<string>();
  const losers = d.alternatives
    .filter((a) => {
      const key = `${[...a.locationIds].sort().join('+')}|${a.totalCostMinor}|${a.unitsShort ?? 0}`;
      if (seen.has(key) || (a.extraCostMinor === 0 && !a.unitsShort)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, 3);
  const alternatives = losers.length > 0 ? ` (${losers.map((a) => `${alternativeName(a)} ${a.reason}`).join('; ')})` : '';
  const gap = d.optimal === false && d.gap !== null ? `, within ${(d.gap * 100).toFixed(1)}% of the optimum` : '';
  return `${d.shipments.length > 1 && total ? total : ''}${among}${alternatives}${gap}`;
}

function shipmentNote(s: DecisionShipment, currency: string): string {
  const notes: string[] = [];
  if (s.costMinor !== null) notes.push(money(s.costMinor, currency));
  if (s.transfer) notes.push('transferred to the pickup store');
  if (s.availableFrom) notes.push(`when supply arrives ${s.availableFrom.slice(0, 10)}`);
  return notes.length > 0 ? ` (${notes.join(', ')})` : '';
}

function alternativeName(a: SourcingAlternative): string {
  if (a.description.startsWith('everything from ')) return a.locationIds[0] ?? a.description;
  const rule = a.description.includes('nearest') ? 'nearest per line' : a.description.includes('cheapest') ? 'cheapest per line' : a.description;
  return `${a.locationIds.join('+') || 'nothing'} (${rule})`;
}

const units = (list: readonly DecisionUnit[]): string => list.map((u) => `${u.sku} ×${u.quantity}`).join(', ');

/** Decimals per currency code (ISO 4217: a few hundred at most), once each: Intl is dear to construct. */
const currencyDigits = new Map<string, number>();

/** Minor units as text in the currency's own decimals: "12.40 €", "7.00 USD", "1200 JPY". */
export function money(minor: number, currency: string): string {
  let digits = currencyDigits.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    currencyDigits.set(currency, digits);
  }
  const value = (minor / 10 ** digits).toFixed(digits);
  return currency === 'EUR' ? `${value} €` : `${value} ${currency}`;
}
