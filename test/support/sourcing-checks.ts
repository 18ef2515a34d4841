import { expect } from 'vitest';
import { planCost, shipmentCost } from '../../src/domain/sourcing/cost-model.js';
import type { SourcingCandidate, SourcingLine, SourcingPlan, SourcingPolicy } from '../../src/domain/sourcing/sourcing-types.js';

export const servedUnits = (plan: SourcingPlan): number => plan.shipments.reduce((acc, s) => acc + s.lines.reduce((x, l) => x + l.quantity, 0), 0);

/**
 * Every invariant of `routeOrder`'s contract, checked from the plan alone: conservation per line, ATP
 * per SKU and capacity per location, one shipment per location, the shipment limit, ship-complete,
 * exclusions, line division only where allowed, and every cost recomputed from the cost model.
 */
export function expectValidPlan(lines: readonly SourcingLine[], candidates: readonly SourcingCandidate[], policy: SourcingPolicy, plan: SourcingPlan): void {
  const byId = new Map(candidates.map((c) => [c.locationId, c]));
  const excluded = new Set(policy.excludedLocationIds ?? []);
  const eligible = candidates.filter((c) => !excluded.has(c.locationId) && c.shippingBands.length > 0 && (c.capacityLeft ?? Infinity) > 0);

  const locations = plan.shipments.map((s) => s.locationId);
  expect(new Set(locations).size, 'one shipment per location').toBe(locations.length);
  if (policy.maxShipments !== undefined) expect(plan.shipments.length).toBeLessThanOrEqual(policy.maxShipments);

  const assigned = new Map<string, number>();
  const placesOf = new Map<string, number>();
  for (const s of plan.shipments) {
    const c = byId.get(s.locationId);
    expect(c, `${s.locationId} is a candidate`).toBeDefined();
    expect(excluded.has(s.locationId), `${s.locationId} is excluded`).toBe(false);
    expect(s.lines.length).toBeGreaterThan(0);
    const bySku = new Map<string, number>();
    let units = 0;
    for (const l of s.lines) {
      expect(Number.isInteger(l.quantity) && l.quantity > 0, `positive integer quantity for ${l.lineId}`).toBe(true);
      bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
      assigned.set(l.lineId, (assigned.get(l.lineId) ?? 0) + l.quantity);
      placesOf.set(l.lineId, (placesOf.get(l.lineId) ?? 0) + 1);
      units += l.quantity;
    }
    for (const [sku, q] of bySku) expect(q, `${s.locationId} ATP of ${sku}`).toBeLessThanOrEqual(c!.available.get(sku) ?? 0);
    if (c!.capacityLeft !== undefined) expect(units, `${s.locationId} capacity`).toBeLessThanOrEqual(c!.capacityLeft);

    const weightOf = new Map(lines.map((l) => [l.lineId, l.weightGrams]));
    const recomputed = shipmentCost(
      c!,
      s.lines.map((l) => ({ ...l, unitWeightGrams: weightOf.get(l.lineId)! })),
    );
    expect(s).toEqual(recomputed);
  }
  expect(plan.totalCostMinor).toBe(planCost(plan.shipments, policy.splitPenaltyMinor));

  const shortOf = new Map(plan.shortfalls.map((s) => [s.lineId, s.quantity]));
  for (const s of plan.shortfalls) expect(s.quantity).toBeGreaterThan(0);
  for (const line of lines) {
    const a = assigned.get(line.lineId) ?? 0;
    expect(a + (shortOf.get(line.lineId) ?? 0), `assigned + short = ordered for ${line.lineId}`).toBe(line.quantity);
    const wholeSomewhere = eligible.some((c) => Math.min(c.available.get(line.sku) ?? 0, c.capacityLeft ?? Infinity) >= line.quantity);
    const divisible = policy.allowLineSplit === true && !policy.shipComplete && !wholeSomewhere;
    if (!divisible) {
      expect(placesOf.get(line.lineId) ?? 0, `${line.lineId} is not divided`).toBeLessThanOrEqual(1);
      expect([0, line.quantity], `${line.lineId} whole or short`).toContain(a);
    }
  }
  if (policy.shipComplete) {
    expect(plan.shipments.length).toBeLessThanOrEqual(1);
    if (plan.shipments.length === 0) expect(plan.shortfalls.reduce((x, s) => x + s.quantity, 0)).toBe(lines.reduce((x, l) => x + l.quantity, 0));
    else expect(plan.shortfalls).toEqual([]);
  }
  expect(plan.gap).toBeGreaterThanOrEqual(0);
  expect(plan.gap).toBeLessThanOrEqual(1);
  if (plan.optimal) expect(plan.gap).toBe(0);
}
