import type { Tx } from '../../db/database.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { OrderRow } from '../orders/order.repository.js';
import type { FulfillmentRow } from './fulfillment.repository.js';
import type { FulfillmentDeps } from './fulfillment-step.js';
import type { HeldWork } from './release.repository.js';

/** Fulfillments to ship as one parcel set from one location: the lead (oldest) and those merged into it. */
export interface MergePlan {
  leadId: string;
  memberIds: string[];
}

/** Not merged yet: each fulfillment ships alone. */
export async function planMerges(_deps: FulfillmentDeps, _work: readonly HeldWork[]): Promise<MergePlan[]> {
  return [];
}

export async function mergeAtRelease(_tx: Tx, _released: readonly FulfillmentRow[], _plans: readonly MergePlan[], _orders: ReadonlyMap<string, OrderRow>, _actor: Actor, _now: Date): Promise<number> {
  return 0;
}
