import type { DbOrTx } from '../../db/database.js';
import { emailKey } from '../../domain/customers/contact-keys.js';
import { returnableUnits } from '../../domain/returns/returnable.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { findOrderId, loadOrder, orderTouchesLocations } from '../orders/order.repository.js';
import { loadReturnFacts } from './return-facts.js';
import { policyFor } from './return-policies.js';
import type { ReturnableView } from './returns.schemas.js';

/**
 * GET /v1/orders/{id}/returnable: what each line of an order may still return now, before a return is
 * asked for, with the same figures POST /v1/returns checks (delivered or collected, minus what other
 * returns took, within the policy's window).
 *
 * A store takes returns of any order, web ones too, but a store key may not read orders its stores never
 * touched. The customer at the counter proves the order is theirs with its e-mail: a store key reads
 * another store's or a web order only when `email` is the order's; a wrong e-mail reads as an unknown
 * order for everyone (404: whether the number exists is not disclosed). Only what a return needs is
 * answered (lines, amounts, the customer's name), never the address or phone.
 */
export async function getReturnable(db: DbOrTx, actor: Actor, idOrNumber: string, email: string | undefined, now: Date): Promise<Result<ReturnableView>> {
  const notFound = fail('order_not_found', `no order ${idOrNumber}${email ? ' with this e-mail' : ''}`);
  const id = await findOrderId(db, idOrNumber);
  const loaded = id ? await loadOrder(db, id) : undefined;
  if (!loaded) return notFound;
  const { order } = loaded;
  const given = emailKey(email);
  const contact = order.contact as { email?: string; name?: string };
  if (given !== null && given !== emailKey(contact.email)) return notFound;
  if (given === null && actor.role === 'store' && !(await orderTouchesLocations(db, order, actor.locationIds))) return notFound;

  const facts = await loadReturnFacts(db, loaded);
  const { rules, scope } = await policyFor(db, order.channel_id, facts.country);
  const at = now.getTime();
  return ok({
    orderId: order.id,
    number: order.number,
    channel: order.channel_id,
    status: order.status,
    currency: order.currency,
    createdAt: new Date(order.created_at).toISOString(),
    deliveryMethod: order.delivery_method,
    customer: { name: contact.name ?? null, known: order.customer_id !== null },
    policy: { windowDays: rules.windowDays, autoRefund: rules.autoRefund, scope },
    lines: loaded.lines
      .slice()
      .sort((a, b) => a.position - b.position)
      .map((line) => {
        const f = facts.lines.find((x) => x.lineId === line.id)!;
        const u = returnableUnits(f, at, rules.windowDays);
        return {
          lineId: line.id,
          sku: line.sku,
          name: line.name,
          quantity: line.quantity,
          totalMinor: line.total_minor,
          delivered: u.delivered,
          alreadyReturned: f.taken,
          returnable: u.returnable,
          windowEndsAt: u.windowEndsAt === null ? null : new Date(u.windowEndsAt).toISOString(),
        };
      }),
  });
}
