/**
 * A location's preference as money, for the sourcing cost: higher priority is cheaper, unreliable stock
 * data (frequent short picks, rejections, late shipments lower `dataReliability`) costs more, and a busy
 * location costs more as its daily pick load nears capacity. Example: priority 10 at 5 per point, reliability
 * 0.9 at 400, half loaded at 200 → −50 + 40 + 100 = 90.
 */
export interface PreferenceWeights {
  priorityValueMinor: number;
  unreliabilityCostMinor: number;
  /** Cost of a fully loaded day, scaled by the share already committed. */
  loadCostMinor: number;
}

export function locationPreferenceCost(
  l: { priority: number; dataReliability: number; loadShare?: number },
  w: PreferenceWeights,
): number {
  const load = Math.min(1, Math.max(0, l.loadShare ?? 0));
  return Math.round(-l.priority * w.priorityValueMinor + (1 - l.dataReliability) * w.unreliabilityCostMinor + load * w.loadCostMinor);
}
