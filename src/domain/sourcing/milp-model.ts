import type { SourcingCandidate, SourcingLine, SourcingPolicy } from './sourcing-types.js';

/**
 * The sourcing problem of `routeOrder` written as a mixed-integer programme in CPLEX LP text, for a
 * general solver (HiGHS) to certify the optimiser and to re-plan held orders in batch. It restates the
 * contract from scratch (it shares no code with the optimiser, on purpose):
 *
 *   lexicographic: first maximise units served (phase 'max-units'), then, with at least that many
 *   units, minimise sum over used locations c of (handling + preference + split) + parcels' prices,
 *   the constant -split being returned apart (`objectiveOffset`).
 *
 * Variables per candidate c: y_c (ships), x_c_i (whole line i from c, binary) or u_c_i (units of a
 * divisible line, integer), k_c (full parcels, integer), r_c (weight of the last parcel), z_c_b (the
 * last parcel is priced by band b). Weight: sum w_i units = M k_c + r_c, r_c <= sum max_b z_c_b, at
 * most one band, and at least one parcel when the location ships: the solver picks the cheapest band
 * that fits, exactly the cost model's "cheapest band whose maximum holds the parcel".
 */

export type MilpPhase = { kind: 'max-units' } | { kind: 'min-cost'; minUnits: number };

export interface SourcingMilp {
  lp: string;
  /** Add to the solver's objective (min-cost phase: -split penalty, the first shipment pays none). */
  objectiveOffset: number;
  /** Variable holding the units of line `lineIndex` shipped from candidate `locationId` (name -> q per unit of the variable). */
  unitVariables: { name: string; lineIndex: number; locationId: string; unitsPerValue: number }[];
}

const fmt = (x: number): string => {
  if (!Number.isFinite(x)) throw new RangeError(`non-finite coefficient ${x}`);
  return Number.isInteger(x) ? String(x) : x.toPrecision(17);
};

function linear(terms: readonly [number, string][]): string {
  const kept = terms.filter(([a]) => a !== 0);
  if (kept.length === 0) return '0 zero';
  return kept.map(([a, v], i) => `${a < 0 ? '-' : i === 0 ? '' : '+'} ${fmt(Math.abs(a))} ${v}`).join('\n   ');
}

const wrap = (names: readonly string[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i < names.length; i += 16) out.push(` ${names.slice(i, i + 16).join(' ')}`);
  return out;
};

export function buildSourcingMilp(lines: readonly SourcingLine[], candidates: readonly SourcingCandidate[], policy: SourcingPolicy, phase: MilpPhase): SourcingMilp {
  const excluded = new Set(policy.excludedLocationIds ?? []);
  const eligible = candidates.filter((c) => !excluded.has(c.locationId) && c.shippingBands.length > 0 && (c.capacityLeft ?? Infinity) > 0);
  const room = (c: SourcingCandidate, sku: string): number => Math.min(c.available.get(sku) ?? 0, c.capacityLeft ?? Infinity);
  const orderWeight = lines.reduce((acc, l) => acc + l.quantity * l.weightGrams, 0);
  const divisible = lines.map((l) => !policy.shipComplete && policy.allowLineSplit === true && !eligible.some((c) => room(c, l.sku) >= l.quantity));

  const rows: string[] = [];
  const binaries: string[] = ['zero'];
  const generals: string[] = [];
  const bounds: string[] = ['zero = 0'];
  const objective: [number, string][] = [];
  const unitTerms: [number, string][] = [];
  const unitVariables: SourcingMilp['unitVariables'] = [];
  const perLine: [number, string][][] = lines.map(() => []);
  const ships: [number, string][] = [];

  eligible.forEach((c, ci) => {
    const y = `y${ci}`;
    const mine: [number, string][] = [];
    const varOf = new Map<number, [number, string]>();
    const bySku = new Map<string, [number, string][]>();
    lines.forEach((l, li) => {
      if (l.quantity <= 0) return;
      const most = Math.min(l.quantity, room(c, l.sku));
      if (divisible[li] ? most < 1 : most < l.quantity) return;
      const name = divisible[li] ? `u${ci}_${li}` : `x${ci}_${li}`;
      const per = divisible[li] ? 1 : l.quantity;
      if (divisible[li]) {
        generals.push(name);
        bounds.push(`0 <= ${name} <= ${fmt(most)}`);
      } else {
        binaries.push(name);
      }
      unitVariables.push({ name, lineIndex: li, locationId: c.locationId, unitsPerValue: per });
      mine.push([per, name]);
      varOf.set(li, [per, name]);
      perLine[li]!.push([per, name]);
      unitTerms.push([per, name]);
      bySku.set(l.sku, [...(bySku.get(l.sku) ?? []), [per, name]]);
      rows.push(`link_${name}: ${linear([[per, name], [-l.quantity, y]])} <= 0`);
    });
    if (mine.length === 0) return;
    binaries.push(y);
    ships.push([1, y]);
    rows.push(`used_${y}: ${linear([[1, y], ...mine.map(([a, v]): [number, string] => [-a, v])])} <= 0`);
    for (const [sku, terms] of bySku) rows.push(`atp_${ci}_${[...bySku.keys()].indexOf(sku)}: ${linear(terms)} <= ${fmt(c.available.get(sku) ?? 0)}`);
    if (c.capacityLeft !== undefined) rows.push(`cap_${ci}: ${linear(mine)} <= ${fmt(c.capacityLeft)}`);

    // Band maxima above the whole order's weight change nothing; capping them keeps coefficients small.
    const heaviest = Math.max(...c.shippingBands.map((b) => b.maxWeightGrams));
    const fullCost = Math.min(...c.shippingBands.filter((b) => b.maxWeightGrams === heaviest).map((b) => b.costMinor));
    const weightTerms: [number, string][] = [];
    lines.forEach((l, li) => {
      const v = varOf.get(li);
      if (v && l.weightGrams > 0) weightTerms.push([v[0] * l.weightGrams, v[1]]);
    });
    const r = `r${ci}`;
    const parcelTerms: [number, string][] = [];
    if (heaviest < orderWeight) {
      const k = `k${ci}`;
      generals.push(k);
      bounds.push(`0 <= ${k} <= ${fmt(Math.ceil(orderWeight / heaviest))}`);
      weightTerms.push([-heaviest, k]);
      parcelTerms.push([1, k]);
      objective.push([fullCost, k]);
    }
    weightTerms.push([-1, r]);
    rows.push(`weight_${ci}: ${linear(weightTerms)} = 0`);
    const bandTerms: [number, string][] = [];
    c.shippingBands.forEach((b, bi) => {
      const z = `z${ci}_${bi}`;
      binaries.push(z);
      bandTerms.push([Math.min(b.maxWeightGrams, Math.max(orderWeight, 1)), z]);
      parcelTerms.push([1, z]);
      objective.push([b.costMinor, z]);
    });
    rows.push(`band_${ci}: ${linear([[1, r], ...bandTerms.map(([a, v]): [number, string] => [-a, v])])} <= 0`);
    rows.push(`oneband_${ci}: ${linear([...bandTerms.map(([, v]): [number, string] => [1, v]), [-1, y]])} <= 0`);
    rows.push(`parcel_${ci}: ${linear([...parcelTerms, [-1, y]])} >= 0`);
    objective.push([c.handlingCostMinor + c.preferenceCostMinor + policy.splitPenaltyMinor, y]);
  });

  lines.forEach((l, li) => {
    if (perLine[li]!.length > 0) rows.push(`line_${li}: ${linear(perLine[li]!)} <= ${fmt(l.quantity)}`);
  });
  if (policy.maxShipments !== undefined && ships.length > 0) rows.push(`maxship: ${linear(ships)} <= ${fmt(policy.maxShipments)}`);
  if (policy.shipComplete && ships.length > 0) {
    rows.push(`complete_one: ${linear(ships)} <= 1`);
    lines.forEach((l, li) => {
      if (l.quantity > 0) rows.push(`complete_${li}: ${linear([...perLine[li]!.map(([, v]): [number, string] => [1, v]), ...ships.map(([, v]): [number, string] => [-1, v])])} = 0`);
    });
  }

  let sense: string;
  let objectiveText: string;
  if (phase.kind === 'max-units') {
    sense = 'Maximize';
    objectiveText = linear(unitTerms);
  } else {
    sense = 'Minimize';
    objectiveText = linear(objective);
    if (unitTerms.length > 0) rows.push(`served: ${linear(unitTerms)} >= ${fmt(phase.minUnits)}`);
  }
  const lp = [
    sense,
    ` obj: ${objectiveText}`,
    'Subject To',
    ...rows.map((r) => ` ${r}`),
    'Bounds',
    ...bounds.map((b) => ` ${b}`),
    ...(generals.length > 0 ? ['General', ...wrap(generals)] : []),
    'Binary',
    ...wrap(binaries),
    'End',
    '',
  ].join('\n');
  return { lp, objectiveOffset: phase.kind === 'min-cost' && phase.minUnits > 0 ? -policy.splitPenaltyMinor : 0, unitVariables };
}
