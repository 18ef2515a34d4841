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

export const fmt = (x: number): string => {
  if (!Number.isFinite(x)) throw new RangeError(`non-finite coefficient ${x}`);
  return Number.isInteger(x) ? String(x) : x.toPrecision(17);
};

export function linear(terms: readonly [number, string][]): string {
  const kept = terms.filter(([a]) => a !== 0);
  if (kept.length === 0) return '0 zero';
  return kept.map(([a, v], i) => `${a < 0 ? '-' : i === 0 ? '' : '+'} ${fmt(Math.abs(a))} ${v}`).join('\n   ');
}

const wrap = (names: readonly string[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i < names.length; i += 16) out.push(` ${names.slice(i, i + 16).join(' ')}`);
  return out;
};

type Term = [number, string];

/** How one order draws on one location: unit terms per SKU and in all (for ATP and capacity rows). */
export interface LocationUse {
  candidate: SourcingCandidate;
  bySku: Map<string, Term[]>;
  all: Term[];
}

/** The variables, rows and objective terms of one order, every name prefixed (one prefix per order in a batch). */
export interface OrderTerms {
  rows: string[];
  binaries: string[];
  generals: string[];
  bounds: string[];
  /** Cost terms, the split penalty counted on every shipment (see `objectiveOffset`). */
  objective: Term[];
  units: Term[];
  uses: LocationUse[];
  unitVariables: SourcingMilp['unitVariables'];
}

export function orderTerms(prefix: string, lines: readonly SourcingLine[], candidates: readonly SourcingCandidate[], policy: SourcingPolicy): OrderTerms {
  const excluded = new Set(policy.excludedLocationIds ?? []);
  const eligible = candidates.filter((c) => !excluded.has(c.locationId) && c.shippingBands.length > 0 && (c.capacityLeft ?? Infinity) > 0);
  const room = (c: SourcingCandidate, sku: string): number => Math.min(c.available.get(sku) ?? 0, c.capacityLeft ?? Infinity);
  const orderWeight = lines.reduce((acc, l) => acc + l.quantity * l.weightGrams, 0);
  const divisible = lines.map((l) => !policy.shipComplete && policy.allowLineSplit === true && !eligible.some((c) => room(c, l.sku) >= l.quantity));
  const t: OrderTerms = { rows: [], binaries: [], generals: [], bounds: [], objective: [], units: [], uses: [], unitVariables: [] };
  const perLine: Term[][] = lines.map(() => []);
  const ships: Term[] = [];

  eligible.forEach((c, ci) => {
    const y = `${prefix}y${ci}`;
    const use: LocationUse = { candidate: c, bySku: new Map(), all: [] };
    const varOf = new Map<number, Term>();
    lines.forEach((l, li) => {
      if (l.quantity <= 0) return;
      const most = Math.min(l.quantity, room(c, l.sku));
      if (divisible[li] ? most < 1 : most < l.quantity) return;
      const name = `${prefix}${divisible[li] ? 'u' : 'x'}${ci}_${li}`;
      const per = divisible[li] ? 1 : l.quantity;
      if (divisible[li]) {
        t.generals.push(name);
        t.bounds.push(`0 <= ${name} <= ${fmt(most)}`);
      } else {
        t.binaries.push(name);
      }
      t.unitVariables.push({ name, lineIndex: li, locationId: c.locationId, unitsPerValue: per });
      use.all.push([per, name]);
      varOf.set(li, [per, name]);
      perLine[li]!.push([per, name]);
      t.units.push([per, name]);
      use.bySku.set(l.sku, [...(use.bySku.get(l.sku) ?? []), [per, name]]);
      t.rows.push(`link_${name}: ${linear([[per, name], [-l.quantity, y]])} <= 0`);
    });
    if (use.all.length === 0) return;
    t.uses.push(use);
    t.binaries.push(y);
    ships.push([1, y]);
    t.rows.push(`used_${y}: ${linear([[1, y], ...use.all.map(([a, v]): Term => [-a, v])])} <= 0`);

    // Band maxima above the whole order's weight change nothing; capping them keeps coefficients small.
    const heaviest = Math.max(...c.shippingBands.map((b) => b.maxWeightGrams));
    const fullCost = Math.min(...c.shippingBands.filter((b) => b.maxWeightGrams === heaviest).map((b) => b.costMinor));
    const weightTerms: Term[] = [];
    lines.forEach((l, li) => {
      const v = varOf.get(li);
      if (v && l.weightGrams > 0) weightTerms.push([v[0] * l.weightGrams, v[1]]);
    });
    const r = `${prefix}r${ci}`;
    const parcelTerms: Term[] = [];
    if (heaviest < orderWeight) {
      const k = `${prefix}k${ci}`;
      t.generals.push(k);
      t.bounds.push(`0 <= ${k} <= ${fmt(Math.ceil(orderWeight / heaviest))}`);
      weightTerms.push([-heaviest, k]);
      parcelTerms.push([1, k]);
      t.objective.push([fullCost, k]);
    }
    weightTerms.push([-1, r]);
    t.rows.push(`weight_${prefix}${ci}: ${linear(weightTerms)} = 0`);
    const bandTerms: Term[] = [];
    c.shippingBands.forEach((b, bi) => {
      const z = `${prefix}z${ci}_${bi}`;
      t.binaries.push(z);
      bandTerms.push([Math.min(b.maxWeightGrams, Math.max(orderWeight, 1)), z]);
      parcelTerms.push([1, z]);
      t.objective.push([b.costMinor, z]);
    });
    t.rows.push(`band_${prefix}${ci}: ${linear([[1, r], ...bandTerms.map(([a, v]): Term => [-a, v])])} <= 0`);
    t.rows.push(`oneband_${prefix}${ci}: ${linear([...bandTerms.map(([, v]): Term => [1, v]), [-1, y]])} <= 0`);
    t.rows.push(`parcel_${prefix}${ci}: ${linear([...parcelTerms, [-1, y]])} >= 0`);
    t.objective.push([c.handlingCostMinor + c.preferenceCostMinor + policy.splitPenaltyMinor, y]);
  });

  lines.forEach((l, li) => {
    if (perLine[li]!.length > 0) t.rows.push(`line_${prefix}${li}: ${linear(perLine[li]!)} <= ${fmt(l.quantity)}`);
  });
  if (policy.maxShipments !== undefined && ships.length > 0) t.rows.push(`maxship_${prefix}: ${linear(ships)} <= ${fmt(policy.maxShipments)}`);
  if (policy.shipComplete && ships.length > 0) {
    t.rows.push(`complete_${prefix}: ${linear(ships)} <= 1`);
    lines.forEach((l, li) => {
      if (l.quantity > 0) t.rows.push(`complete_${prefix}${li}: ${linear([...perLine[li]!.map(([, v]): Term => [1, v]), ...ships.map(([, v]): Term => [-1, v])])} = 0`);
    });
  }
  return t;
}

/** ATP rows per (location, SKU) and capacity rows per location over the uses of one or several orders. */
export function stockRows(uses: readonly LocationUse[], stock: (locationId: string) => { available: ReadonlyMap<string, number>; capacityLeft?: number }): string[] {
  const byLocation = new Map<string, LocationUse[]>();
  for (const u of uses) byLocation.set(u.candidate.locationId, [...(byLocation.get(u.candidate.locationId) ?? []), u]);
  const rows: string[] = [];
  [...byLocation].forEach(([locationId, list], li) => {
    const s = stock(locationId);
    const skus = [...new Set(list.flatMap((u) => [...u.bySku.keys()]))];
    skus.forEach((sku, si) => rows.push(`atp_${li}_${si}: ${linear(list.flatMap((u) => u.bySku.get(sku) ?? []))} <= ${fmt(s.available.get(sku) ?? 0)}`));
    if (s.capacityLeft !== undefined) rows.push(`cap_${li}: ${linear(list.flatMap((u) => u.all))} <= ${fmt(s.capacityLeft)}`);
  });
  return rows;
}

export function lpText(sense: 'Minimize' | 'Maximize', objective: readonly Term[], rows: readonly string[], t: Pick<OrderTerms, 'bounds' | 'generals' | 'binaries'>): string {
  return [
    sense,
    ` obj: ${linear(objective)}`,
    'Subject To',
    ...rows.map((r) => ` ${r}`),
    'Bounds',
    ' zero = 0',
    ...t.bounds.map((b) => ` ${b}`),
    ...(t.generals.length > 0 ? ['General', ...wrap(t.generals)] : []),
    'Binary',
    ...wrap(['zero', ...t.binaries]),
    'End',
    '',
  ].join('\n');
}

export function buildSourcingMilp(lines: readonly SourcingLine[], candidates: readonly SourcingCandidate[], policy: SourcingPolicy, phase: MilpPhase): SourcingMilp {
  const t = orderTerms('', lines, candidates, policy);
  const rows = [...t.rows, ...stockRows(t.uses, (id) => t.uses.find((u) => u.candidate.locationId === id)!.candidate)];
  if (phase.kind === 'max-units') return { lp: lpText('Maximize', t.units, rows, t), objectiveOffset: 0, unitVariables: t.unitVariables };
  if (t.units.length > 0) rows.push(`served: ${linear(t.units)} >= ${fmt(phase.minUnits)}`);
  return { lp: lpText('Minimize', t.objective, rows, t), objectiveOffset: phase.minUnits > 0 ? -policy.splitPenaltyMinor : 0, unitVariables: t.unitVariables };
}
