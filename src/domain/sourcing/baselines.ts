import { planCost, planCostSplit, shipmentCost, shippingCost, type WeighedLine } from './cost-model.js';
import { buildNetwork, stockOf, type Network } from './sourcing-space.js';
import type { PlannedShipment, SourcingAlternative, SourcingCandidate, SourcingLine, SourcingPolicy } from './sourcing-types.js';

/**
 * What a rule engine would do, line by line, for the explanation of every decision and for the
 * benchmark: each line from the nearest location that has it, or from the location where it alone
 * ships cheapest; lines landing on the same location share its shipment.
 */
export type GreedyRule = 'nearest' | 'cheapest-line';

export interface GreedyPlan {
  shipments: PlannedShipment[];
  unitsShort: number;
  totalCostMinor: number;
}

const MAX_SINGLE_ALTERNATIVES = 5;

export function greedyPerLine(lines: readonly SourcingLine[], candidates: readonly SourcingCandidate[], policy: SourcingPolicy, rule: GreedyRule): GreedyPlan {
  return greedyOnNetwork(lines, buildNetwork(candidates, policy), policy, rule);
}

function greedyOnNetwork(lines: readonly SourcingLine[], network: Network, policy: SourcingPolicy, rule: GreedyRule): GreedyPlan {
  const n = network.candidates.length;
  const given = new Map<number, WeighedLine[]>();
  const takenBySku = new Map<string, Float64Array>();
  const picked = new Float64Array(n);
  // Unknown distances rank last; ties go to the smallest locationId (the network's order).
  const distance = rule === 'nearest' ? Float64Array.from(network.candidates, (c) => (Number.isNaN(c.distanceKm) ? Number.MAX_VALUE : c.distanceKm)) : undefined;
  const shipping = new Float64Array(network.tables.length);
  let unitsShort = 0;
  for (const line of lines) {
    const stock = stockOf(network, line.sku);
    let taken = takenBySku.get(line.sku);
    if (!taken) takenBySku.set(line.sku, (taken = new Float64Array(n)));
    const tried = new Uint8Array(n);
    let left = line.quantity;
    while (left > 0) {
      const need = policy.allowLineSplit ? 1 : left;
      const open = given.size < network.maxShipments;
      let best = -1;
      if (distance) {
        let nearest = Infinity;
        for (let c = 0; c < n; c++) {
          if (distance[c]! < nearest && !tried[c] && (open || given.has(c)) && Math.min(stock[c]! - taken[c]!, network.capacity[c]! - picked[c]!) >= need) {
            nearest = distance[c]!;
            best = c;
          }
        }
      } else {
        shipping.fill(NaN);
        let bestCost = Infinity;
        for (let c = 0; c < n; c++) {
          if (tried[c] || (!open && !given.has(c))) continue;
          const room = Math.min(stock[c]! - taken[c]!, network.capacity[c]! - picked[c]!);
          if (room < need) continue;
          const q = Math.min(left, room);
          const t = network.tableOf[c]!;
          let ship = q === left ? shipping[t]! : NaN;
          if (ship !== ship) {
            ship = shippingCost(network.tables[t]!, q * line.weightGrams);
            if (q === left) shipping[t] = ship;
          }
          const cost = network.fixed[c]! + ship;
          if (cost < bestCost) {
            bestCost = cost;
            best = c;
          }
        }
      }
      if (best < 0) break;
      tried[best] = 1;
      const q = Math.min(left, stock[best]! - taken[best]!, network.capacity[best]! - picked[best]!);
      const list = given.get(best) ?? [];
      list.push({ lineId: line.lineId, sku: line.sku, quantity: q, unitWeightGrams: line.weightGrams });
      given.set(best, list);
      taken[best] = taken[best]! + q;
      picked[best] = picked[best]! + q;
      left -= q;
    }
    unitsShort += left;
  }
  const shipments = [...given]
    .sort((a, b) => a[0] - b[0])
    .map(([c, ls]) => shipmentCost(network.candidates[c]!, ls, network.tables[network.tableOf[c]!]));
  return { shipments, unitsShort, totalCostMinor: planCost(shipments, policy.splitPenaltyMinor) };
}

/**
 * The explanation's alternatives to a plan: the cheapest single locations able to ship everything the
 * plan ships, then the two per-line rules, each with its cost (and the units it would leave short).
 */
export function alternativesFor(lines: readonly SourcingLine[], network: Network, plan: readonly PlannedShipment[], policy: SourcingPolicy): SourcingAlternative[] {
  const served = plan.flatMap((s) => s.lines);
  if (served.length === 0) return [];
  const unitWeight = new Map(lines.map((l) => [l.lineId, l.weightGrams]));
  const merged = new Map<string, WeighedLine>();
  for (const l of served) {
    const m = merged.get(l.lineId);
    if (m) m.quantity += l.quantity;
    else merged.set(l.lineId, { ...l, unitWeightGrams: unitWeight.get(l.lineId) ?? 0 });
  }
  const whole = [...merged.values()];
  const needs = new Map<string, number>();
  for (const l of whole) needs.set(l.sku, (needs.get(l.sku) ?? 0) + l.quantity);
  const stocks = [...needs].map(([sku, q]) => [stockOf(network, sku), q] as const);
  const units = whole.reduce((acc, l) => acc + l.quantity, 0);
  const singles: SourcingAlternative[] = [];
  network.candidates.forEach((c, i) => {
    if (plan.length === 1 && plan[0]!.locationId === c.locationId) return;
    if (units > network.capacity[i]! || stocks.some(([stock, q]) => stock[i]! < q)) return;
    const shipment = shipmentCost(c, whole, network.tables[network.tableOf[i]!]);
    singles.push({ description: `everything from ${c.locationId}`, locationIds: [c.locationId], totalCostMinor: shipment.costMinor, costs: planCostSplit([shipment], 0) });
  });
  singles.sort((a, b) => a.totalCostMinor - b.totalCostMinor);
  const servedLines = lines.flatMap((l) => {
    const m = merged.get(l.lineId);
    return m ? [{ ...l, quantity: m.quantity }] : [];
  });
  const rules: [GreedyRule, string][] = [
    ['nearest', 'each line from the nearest location holding it'],
    ['cheapest-line', 'each line from the location where it alone ships cheapest'],
  ];
  const perLine = rules.map(([rule, description]): SourcingAlternative => {
    const g = greedyOnNetwork(servedLines, network, policy, rule);
    return {
      description,
      locationIds: g.shipments.map((s) => s.locationId),
      totalCostMinor: g.totalCostMinor,
      ...(g.unitsShort > 0 ? { unitsShort: g.unitsShort } : {}),
      costs: planCostSplit(g.shipments, policy.splitPenaltyMinor),
    };
  });
  return [...singles.slice(0, MAX_SINGLE_ALTERNATIVES), ...perLine];
}
