import type { RoutingRules } from '../types';

type Money = (minor: number) => string;
type T = (key: string, opts?: Record<string, unknown>) => string;

/** A policy's overrides in one line ("split penalty 5,00 €, ship complete, nearest first 0,10 €/km"). */
export function describeRules(rules: RoutingRules, t: T, money: Money): string {
  const parts: string[] = [];
  if (rules.splitPenaltyMinor !== undefined) parts.push(t('routing.summary.splitPenalty', { amount: money(rules.splitPenaltyMinor) }));
  if (rules.maxShipments !== undefined) parts.push(t('routing.summary.maxShipments', { count: rules.maxShipments }));
  if (rules.shipComplete) parts.push(t('routing.summary.shipComplete'));
  if (rules.allowLineSplit === false) parts.push(t('routing.summary.noLineSplit'));
  if (rules.excludedLocationTypes?.length) parts.push(t('routing.summary.excludes', { types: rules.excludedLocationTypes.map((x) => t(`locationType.${x}`)).join(', ') }));
  if (rules.distanceCostMinorPerKm) parts.push(t('routing.summary.nearestFirst', { amount: money(rules.distanceCostMinorPerKm) }));
  for (const [type, r] of Object.entries(rules.locationTypes ?? {})) {
    if (r?.preferenceMinor) parts.push(t('routing.summary.preference', { type: t(`locationType.${type}`), amount: money(r.preferenceMinor) }));
    if (r?.handlingCostMinor !== undefined) parts.push(t('routing.summary.handling', { type: t(`locationType.${type}`), amount: money(r.handlingCostMinor) }));
  }
  if (rules.priorityValueMinor !== undefined || rules.unreliabilityCostMinor !== undefined || rules.loadCostMinor !== undefined) parts.push(t('routing.summary.weights'));
  return parts.length > 0 ? parts.join(', ') : t('routing.summary.none');
}
