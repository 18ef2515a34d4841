import type { FulfillmentKind, FulfillmentStatus } from '../fulfillment/fulfillment-lifecycle.js';
import type { LineStatus } from './order-lifecycle.js';

/**
 * How far each unit of an order line has got, from its allocations and the fulfillments serving them,
 * and the line status that follows. One rule for every step (accept, pick, ship, deliver, ready,
 * collect, reject), so the order's lines and the stores' work never disagree.
 */
export type UnitStage = 'backordered' | 'allocated' | 'in_fulfillment' | 'shipped' | 'ready_for_pickup' | 'completed';

export interface AllocationProgress {
  status: 'reserved' | 'backordered' | 'fulfilled' | 'released' | 'transferred' | 'missing';
  fulfillment?: { kind: FulfillmentKind; status: FulfillmentStatus } | null;
}

/**
 * The stage of one allocation; undefined when its units no longer count for the line (released back to
 * stock, received at the pickup store, which holds them under a new allocation, or not found by a short
 * pick). Units a transfer carries count as under way until they are received.
 *
 * reserved, no fulfillment or one still held or pending → allocated; transfer or fulfillment under way → in_fulfillment;
 * reserved in a pickup ready at the counter → ready_for_pickup; fulfilled by a shipment → shipped, once
 * delivered (or collected, or carried out at the counter with no fulfillment) → completed.
 */
export function unitStage(a: AllocationProgress): UnitStage | undefined {
  const f = a.fulfillment ?? null;
  switch (a.status) {
    case 'backordered':
      return 'backordered';
    case 'reserved':
      if (!f || f.status === 'pending' || f.status === 'held') return 'allocated';
      if (f.status === 'ready_for_pickup') return 'ready_for_pickup';
      return 'in_fulfillment';
    case 'fulfilled':
      if (!f || f.status === 'delivered' || f.status === 'collected') return 'completed';
      return 'shipped';
    case 'transferred':
      return f?.status === 'shipped' ? 'in_fulfillment' : undefined;
    default:
      return undefined;
  }
}

/**
 * A line's status from the stages of its live units. `fullyCancelled`: every unit of the line was
 * cancelled. Precedence: all completed; all shipped or completed (shipped); all ready (ready_for_pickup);
 * any under way, shipped, ready or completed beside others (in_fulfillment); any backordered; otherwise
 * allocated (pending when nothing is allocated yet).
 * Example: [shipped, allocated] (one unit shipped, one re-routed elsewhere) → in_fulfillment.
 */
export function lineStatusFromStages(stages: readonly UnitStage[], fullyCancelled: boolean): LineStatus {
  if (stages.length === 0) return fullyCancelled ? 'cancelled' : 'pending';
  if (stages.every((s) => s === 'completed')) return 'completed';
  if (stages.every((s) => s === 'shipped' || s === 'completed')) return 'shipped';
  if (stages.every((s) => s === 'ready_for_pickup')) return 'ready_for_pickup';
  if (stages.some((s) => s !== 'allocated' && s !== 'backordered')) return 'in_fulfillment';
  if (stages.some((s) => s === 'backordered')) return 'backordered';
  return 'allocated';
}

export function lineProgress(allocations: readonly AllocationProgress[], fullyCancelled: boolean): LineStatus {
  return lineStatusFromStages(allocations.flatMap((a) => unitStage(a) ?? []), fullyCancelled);
}
