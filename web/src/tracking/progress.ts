import type { HistoryStep, TrackingView } from './types';

/** Where the customer waits: at home (a delivery) or at a store (a pickup). */
export const isPickup = (v: TrackingView): boolean => v.delivery.method === 'pickup' || v.delivery.method === 'reserve_and_collect';

/** The headline word of an order: its status, with "completed" said as delivered or collected. */
export function headlineKey(v: TrackingView): string {
  if (v.status === 'completed') return isPickup(v) ? 'collected' : 'delivered';
  return v.status;
}

/** A line's status in customer words (a completed line was delivered or collected). */
export function lineStatusKey(v: TrackingView, status: string): string {
  if (status === 'completed') return isPickup(v) ? 'collected' : 'delivered';
  return status;
}

export interface Step {
  key: 'confirmed' | 'preparing' | 'shipped' | 'delivered' | 'ready' | 'collected';
  /** When it was reached, if it was. */
  at: string | undefined;
}

const first = (v: TrackingView, step: HistoryStep) => v.history.find((h) => h.step === step)?.at;
const last = (v: TrackingView, step: HistoryStep) => v.history.filter((h) => h.step === step).at(-1)?.at;

/** The four steps of the stepper for this kind of order, each with its date once reached. */
export function stepsOf(v: TrackingView): Step[] {
  const head: Step[] = [
    { key: 'confirmed', at: v.placedAt },
    { key: 'preparing', at: first(v, 'preparing') },
  ];
  return isPickup(v)
    ? [...head, { key: 'ready', at: last(v, 'ready_for_pickup') }, { key: 'collected', at: last(v, 'collected') }]
    : [...head, { key: 'shipped', at: first(v, 'shipped') }, { key: 'delivered', at: last(v, 'delivered') }];
}

/**
 * The stepper's current step: every step before it is done. An order being prepared or partly shipped
 * shows that step as the current one; a shipped order, delivery as the next; a finished one, all done.
 */
export function activeStep(v: TrackingView): number {
  switch (v.status) {
    case 'in_fulfillment':
      return 1;
    case 'partially_shipped':
      return 2;
    case 'shipped':
    case 'ready_for_pickup':
      return 3;
    case 'completed':
      return 4;
    default:
      return 1;
  }
}
