import { fitsCandidate, planCost, shipmentCost, shippingCost, type WeighedLine } from './cost-model.js';
import { availableAt, buildNetwork, type Network } from './sourcing-space.js';
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
  let unitsShort = 0;
  for (const line of lines) {
    let taken = takenBySku.get(line.sku);
    if (!taken) takenBySku.set(line.sku, (taken = new Float64Array(n)));
    const roomAt = (c: number): number => Math.min(availableAt(network.candidates[c]!, line.sku) - taken[c]!, network.capacity[c]! - picked[c]!);
    let left = line.quantity;
    const tried = new Uint8Array(n);
    while (left > 0) {
      let best = -1;
      let bestKey = Infinity;
      for (let c = 0; c < n; c++) {
        if (tried[c] || (!given.has(c) && given.size >= network.maxShipments)) continue;
        const room = roomAt(c);
        if (room < (policy.allowLineSplit ? 1 : left)) continue;
        const key = rule === 'nearest' ? distanceKey(network.candidates[c]!.distanceKm) : single(network, c, line, Math.min(left, room));
        if (key < bestKey) {
          bestKey = key;
          best = c;
        }
      }
      if (best < 0) break;
      tried[best] = 1;
      const q = Math.min(left, roomAt(best));
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

const distanceKey = (km: number): number => (Number.isNaN(km) ? Infinity : km);

const single = (network: Network, c: number, line: SourcingLine, quantity: number): number =>
  network.fixed[c]! + shippingCost(network.tables[network.tableOf[c]!]!, quantity * line.weightGrams);

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
  const singles: SourcingAlternative[] = [];
  network.candidates.forEach((c, i) => {
    if (plan.length === 1 && plan[0]!.locationId === c.locationId) return;
    if (!fitsCandidate(c, whole)) return;
    const cost = shipmentCost(c, whole, network.tables[network.tableOf[i]!]).costMinor;
    singles.push({ description: `everything from ${c.locationId}`, locationIds: [c.locationId], totalCostMinor: cost });
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
    };
  });
  return [...singles.slice(0, MAX_SINGLE_ALTERNATIVES), ...perLine];
}
