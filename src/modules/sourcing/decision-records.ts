import type { PromiseOption } from '../../domain/promise/delivery-promise.js';
import { whyLost, type DecisionRecord, type DecisionShipment, type DecisionTrigger, type DecisionUnit } from '../../domain/sourcing/sourcing-decision.js';

/** What a decision's record needs besides the plan: why it was taken and in which currency costs are. */
export interface DecisionContext {
  trigger: DecisionTrigger;
  /** Currency of the cost model (the promise settings'). */
  currency: string;
  cause?: string;
  excluded?: Array<{ locationId: string; reason: string }>;
  unserved?: DecisionUnit[];
}

/**
 * The record of a promise option chosen by the sourcing engine. `lineIds[i]` is the order line of the
 * promise request's line i (the option's line ids are "1", "2"... in request order); `units` is what
 * was asked. Each alternative is stored with how much more it cost and why it lost.
 */
export function optionDecision(option: PromiseOption, lineIds: readonly string[], units: DecisionUnit[], ctx: DecisionContext): DecisionRecord {
  const lineOf = (id: string): string | undefined => lineIds[Number(id) - 1];
  const shipments: DecisionShipment[] = option.shipments.map((s) => ({
    locationId: s.locationId,
    lines: s.lines.map((l) => ({ ...withLine(lineOf(l.lineId)), sku: l.sku, quantity: l.quantity })),
    costMinor: s.costMinor,
    ...(s.transfer ? { transfer: true } : {}),
    ...(s.availableFrom ? { availableFrom: s.availableFrom } : {}),
  }));
  const { sourcing } = option;
  const total = sourcing.totalCostMinor ?? option.costMinor;
  const costs = sourcing.costs ?? null;
  return {
    ...head(ctx),
    optionId: option.optionId,
    units,
    shipments,
    totalCostMinor: total,
    costs,
    candidates: sourcing.candidates ?? null,
    alternatives: (sourcing.alternatives ?? []).map((a) => whyLost(a, total, costs, ctx.currency)),
    optimal: sourcing.optimal,
    gap: sourcing.gap,
    method: sourcing.method,
    policy: sourcing.policy ?? null,
  };
}

/** The record of an option computed for a promise request whose line i is the order line `lineIds[i]`. */
export function requestDecision(option: PromiseOption, lineIds: readonly string[], requestLines: ReadonlyArray<{ sku: string; quantity: number }>, ctx: DecisionContext): DecisionRecord {
  const units = requestLines.map((l, i) => ({ ...withLine(lineIds[i]), sku: l.sku, quantity: l.quantity }));
  return optionDecision(option, lineIds, units, ctx);
}

/**
 * The record of units placed without the engine choosing among locations: a counter sale, a cart
 * reservation's held units, a backorder served where its supply arrived, or units nobody could take.
 */
export function directDecision(
  allocations: ReadonlyArray<{ lineId?: string; sku: string; locationId: string; quantity: number }>,
  method: 'counter_sale' | 'cart_reservation' | 'supply_arrival' | 'none',
  units: DecisionUnit[],
  ctx: DecisionContext,
): DecisionRecord {
  const byLocation = new Map<string, DecisionUnit[]>();
  for (const a of allocations) byLocation.set(a.locationId, [...(byLocation.get(a.locationId) ?? []), { ...withLine(a.lineId), sku: a.sku, quantity: a.quantity }]);
  return {
    ...head(ctx),
    optionId: null,
    units,
    shipments: [...byLocation].map(([locationId, lines]) => ({ locationId, lines, costMinor: null })),
    totalCostMinor: null,
    costs: null,
    candidates: null,
    alternatives: [],
    optimal: null,
    gap: null,
    method,
    policy: null,
  };
}

const withLine = (lineId: string | undefined) => (lineId !== undefined ? { lineId } : {});

function head(ctx: DecisionContext) {
  return { trigger: ctx.trigger, cause: ctx.cause ?? null, excluded: ctx.excluded ?? [], unserved: ctx.unserved ?? [], currency: ctx.currency };
}

/**
 * The record of a new order's sourcing: the promise option it was served by (computed now or held at
 * checkout), else the counter sale or the cart reservation it consumed.
 */
export function placementDecision(
  sourceKind: 'promise' | 'token' | 'reservation' | 'carry_out',
  taken: { allocations: ReadonlyArray<{ lineIndex: number; sku: string; locationId: string; quantity: number }>; promise?: { option: PromiseOption } },
  lines: ReadonlyArray<{ id: string; sku: string; quantity: number }>,
  currency: string,
): DecisionRecord {
  const units = lines.map((l) => ({ lineId: l.id, sku: l.sku, quantity: l.quantity }));
  const ctx: DecisionContext = { trigger: 'order_placed', currency };
  if (taken.promise) return optionDecision(taken.promise.option, lines.map((l) => l.id), units, ctx);
  const allocations = taken.allocations.map((a) => ({ ...withLine(lines[a.lineIndex]?.id), sku: a.sku, locationId: a.locationId, quantity: a.quantity }));
  return directDecision(allocations, sourceKind === 'carry_out' ? 'counter_sale' : 'cart_reservation', units, ctx);
}
