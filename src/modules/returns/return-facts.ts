import type { DbOrTx } from '../../db/database.js';
import { unitsTaken, type LineReturnFacts, type TakenLine } from '../../domain/returns/returnable.js';
import type { ReturnStatus } from '../../domain/returns/return-lifecycle.js';
import { findLocationFacts, type LoadedOrder } from '../orders/order.repository.js';
import { deliveredUnits, orderReturnLines, type ReturnLineRow } from './return.repository.js';

/** An order as returns see it: what each line delivered and what returns already took or accepted. */
export interface OrderReturnFacts {
  loaded: LoadedOrder;
  lines: LineReturnFacts[];
  /** Every line of the order's returns, with its return's status. */
  returnLines: Array<ReturnLineRow & { status: string; shipping_refund_minor: number }>;
  /** Where the order went (its address, else the store that served it): the policy's country. */
  country: string | null;
}

const taken = (l: ReturnLineRow & { status: string }): TakenLine => ({
  status: l.status as ReturnStatus,
  quantity: l.quantity,
  resellable: l.resellable_quantity,
  damaged: l.damaged_quantity,
});

export async function loadReturnFacts(db: DbOrTx, loaded: LoadedOrder): Promise<OrderReturnFacts> {
  const { order } = loaded;
  const [delivered, returnLines] = await Promise.all([deliveredUnits(db, order.id), orderReturnLines(db, order.id)]);
  const lines = loaded.lines.map(
    (l): LineReturnFacts => ({
      lineId: l.id,
      sku: l.sku,
      delivered: delivered.filter((d) => d.lineId === l.id).map((d) => ({ quantity: d.quantity, at: d.at.getTime() })),
      taken: returnLines.filter((r) => r.order_line_id === l.id).reduce((s, r) => s + unitsTaken(taken(r)), 0),
    }),
  );
  return { loaded, lines, returnLines, country: await orderCountry(db, loaded) };
}

async function orderCountry(db: DbOrTx, { order }: LoadedOrder): Promise<string | null> {
  const shipTo = (order.address as { country?: string } | null)?.country;
  if (shipTo) return shipTo;
  const storeId = order.pickup_location_id ?? order.origin_store_id;
  const store = storeId ? await findLocationFacts(db, storeId) : undefined;
  return ((store?.address as { country?: string } | undefined)?.country as string | undefined) ?? null;
}

/** Units of an order line accepted back (resellable or damaged) by received returns other than `exceptReturnId`. */
export function acceptedBefore(facts: OrderReturnFacts, orderLineId: string, exceptReturnId: string): number {
  return facts.returnLines
    .filter((l) => l.order_line_id === orderLineId && l.return_id !== exceptReturnId && l.status !== 'requested' && l.status !== 'cancelled')
    .reduce((s, l) => s + (l.resellable_quantity ?? 0) + (l.damaged_quantity ?? 0), 0);
}
