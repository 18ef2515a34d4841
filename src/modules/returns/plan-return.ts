import type { Db } from '../../db/database.js';
import type { DestinationProposal } from '../../domain/returns/return-destination.js';
import type { DestinationKind } from '../../domain/returns/return-lifecycle.js';
import type { ReturnPolicyRules } from '../../domain/returns/return-policy.js';
import { returnedUnitsValue } from '../../domain/returns/return-value.js';
import { checkReturnLines } from '../../domain/returns/returnable.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { findChannelFacts, findLocationFacts, findOrderId, loadOrder, type LocationFacts } from '../orders/order.repository.js';
import type { PaymentProviders } from '../payments/payment-provider.js';
import { planExchange, type ExchangePlan } from './exchange-order.js';
import { chooseReturnCarrier, proposeMailDestination, type ReturnCarrier } from './return-label.js';
import { loadReturnFacts, type OrderReturnFacts } from './return-facts.js';
import { policyFor } from './return-policies.js';
import type { RequestReturnInput } from './returns.schemas.js';


/** Everything a return request was checked against, decided before its transaction opens. */
export interface ReturnPlan {
  facts: OrderReturnFacts;
  channel: string;
  policy: { rules: ReturnPolicyRules; scope: { channel: string | null; country: string | null } };
  destination: { kind: DestinationKind; location: LocationFacts; proposal: DestinationProposal | null };
  /** Mail: the carrier and service of the label. */
  carrier?: ReturnCarrier;
  exchange?: ExchangePlan;
}

/**
 * Checks a return request without writing: the order (any channel; a store takes returns of web orders
 * too), the channel it is taken on, the lines against what was delivered and not yet returned within the
 * policy's window, where the units go (a store key only to its own locations), the label's carrier, and
 * the resolution (store credit needs a known customer; an exchange is planned here and placed next).
 */
export async function planReturn(db: Db, providers: PaymentProviders, actor: Actor, input: RequestReturnInput, now: Date): Promise<Result<ReturnPlan>> {
  const orderId = await findOrderId(db, input.orderId);
  const loaded = orderId ? await loadOrder(db, orderId) : undefined;
  if (!loaded) return fail('order_not_found', `no order ${input.orderId}`);
  const { order } = loaded;
  const channel = input.channel ?? order.channel_id;
  if (!(await findChannelFacts(db, channel))) return fail('unknown_channel', `no channel ${channel}`, { channel });

  const facts = await loadReturnFacts(db, loaded);
  const policy = await policyFor(db, order.channel_id, facts.country);
  const checked = checkReturnLines(facts.lines, input.lines, now.getTime(), policy.rules.windowDays);
  if (!checked.ok) return checked;
  const units = input.lines.map((l) => ({ sku: facts.lines.find((f) => f.lineId === l.lineId)!.sku, quantity: l.quantity }));

  const destination = await chooseDestination(db, actor, input.destination, units, now);
  if (!destination.ok) return destination;
  let carrier: ReturnCarrier | undefined;
  if (input.destination.kind === 'mail') {
    const chosen = await chooseReturnCarrier(db, order.id, input.destination.carrierId, input.destination.service);
    if (!chosen.ok) return chosen;
    carrier = chosen.value;
  } else if (input.destination.carrierId || input.destination.service) {
    return fail('return_destination_invalid', 'a carrier is only for returns by mail', { kind: input.destination.kind });
  }

  if (input.resolution !== 'exchange' && input.exchange) return fail('exchange_invalid', 'exchange is only given with the resolution exchange', { resolution: input.resolution });
  if (input.resolution === 'store_credit' && !order.customer_id) {
    return fail('store_credit_needs_customer', `order ${order.number} has no known customer to credit`, { orderId: order.id });
  }
  let exchange: ExchangePlan | undefined;
  if (input.resolution === 'exchange') {
    if (!input.exchange) return fail('exchange_invalid', 'an exchange names its replacements (exchange.lines)', {});
    const expected = input.lines.reduce((s, l) => {
      const line = loaded.lines.find((x) => x.id === l.lineId)!;
      const taken = facts.lines.find((f) => f.lineId === l.lineId)!.taken;
      return s + returnedUnitsValue({ quantity: line.quantity, totalMinor: line.total_minor }, taken, l.quantity);
    }, 0);
    const planned = await planExchange(db, providers, actor, { order, input: input.exchange, returnedValueMinor: expected, rules: policy.rules, destination: destination.value });
    if (!planned.ok) return planned;
    exchange = planned.value;
  }
  return ok({ facts, channel, policy, destination: destination.value, ...(carrier ? { carrier } : {}), ...(exchange ? { exchange } : {}) });
}

async function chooseDestination(
  db: Db,
  actor: Actor,
  d: RequestReturnInput['destination'],
  units: ReadonlyArray<{ sku: string; quantity: number }>,
  now: Date,
): Promise<Result<ReturnPlan['destination']>> {
  const invalid = (message: string) => fail('return_destination_invalid', message, { kind: d.kind, locationId: d.locationId ?? null });
  let proposal: DestinationProposal | null = null;
  let locationId = d.locationId;
  if (!locationId) {
    if (d.kind !== 'mail') return invalid(`a return to a ${d.kind} names its locationId`);
    proposal = (await proposeMailDestination(db, units, now)) ?? null;
    if (!proposal) return invalid('no active location takes returns');
    locationId = proposal.locationId;
  }
  const location = await findLocationFacts(db, locationId);
  if (!location || !location.active || !location.capabilities.includes('returns')) return invalid(`${locationId} is not an active location that takes returns`);
  const types = d.kind === 'mail' ? ['store', 'warehouse'] : [d.kind];
  if (!types.includes(location.type)) return invalid(`${locationId} is a ${location.type}, not a ${types.join(' or ')}`);
  if (!canAccessLocation(actor, location.id)) {
    return fail('return_location_out_of_scope', `this key takes returns only at its own locations, not at ${location.id}`, { locationId: location.id });
  }
  return ok({ kind: d.kind, location, proposal });
}
