import { Compile } from 'typebox/compile';
import { mapShopifyOrder, shopifyOrderId, type MappingProblem, type ShopifyOrder } from '../../domain/integrations/shopify-order.js';
import type { Actor } from '../../domain/shared/actor.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { isKnownCurrency, minorUnitDigits } from '../catalog/currency.js';
import { listLocations } from '../network/location.repository.js';
import { getOrder } from '../orders/get-order.js';
import { findChannelFacts, findOrderIdByExternalId, findProducts } from '../orders/order.repository.js';
import { PlaceOrderInput } from '../orders/order.schemas.js';
import { placeOrder, type OrderDeps, type PlaceOrderOutcome } from '../orders/place-order.js';

const orderRequest = Compile(PlaceOrderInput);
const PICKUP_STORES_READ = 10_000;

function unmappable(problems: MappingProblem[]) {
  return fail('shopify_order_unmappable', `${problems.length} problem(s) in the Shopify order; nothing was imported`, { problems });
}

/**
 * Imports a Shopify order as an Ordo order of `channel`, idempotently by Shopify's id: the order's
 * externalId is that id and its Idempotency-Key is derived from channel + id, so importing it again
 * (the same webhook delivered twice, or a later version of the order) answers 200 with the order
 * already placed and writes nothing. A new order goes through placeOrder like any other (stock,
 * promise, fulfillments, events), paid with the `manual` provider under the Shopify gateway's name:
 * the total is authorised, and also captured when Shopify reports it paid (the money is already taken
 * there; Ordo records it so a cancellation refunds instead of voiding). Anything that cannot be mapped
 * is answered 422 with every problem listed, before anything is written.
 */
export async function importShopifyOrder(deps: OrderDeps, actor: Actor, channel: string, shopify: ShopifyOrder): Promise<Result<PlaceOrderOutcome>> {
  const id = shopifyOrderId(shopify);
  if ('problem' in id) return unmappable([id.problem]);
  const already = await existingOrder(deps, actor, channel, id.id);
  if (already) return already;

  const skus = [...new Set(shopify.line_items.map((l) => l.sku?.trim()).filter((s): s is string => !!s))];
  const [channelFacts, products, stores] = await Promise.all([
    findChannelFacts(deps.db, channel),
    findProducts(deps.db, skus),
    listLocations(deps.db, { type: 'store', active: true, limit: PICKUP_STORES_READ }),
  ]);
  const problems: MappingProblem[] = [];
  if (!channelFacts) problems.push({ field: 'channel', message: `no channel ${channel} in Ordo` });
  else if (!channelFacts.active) problems.push({ field: 'channel', message: `channel ${channel} is not selling` });
  const mapping = mapShopifyOrder(shopify, {
    channel,
    minorDigits: (code) => (isKnownCurrency(code) ? minorUnitDigits(code) : undefined),
    isSellable: (sku) => products.get(sku)?.active === true,
    pickupStores: stores.filter((s) => s.capabilities.includes('pickup')).map((s) => ({ id: s.id, name: s.name })),
  });
  if (!mapping.ok) return unmappable([...problems, ...mapping.problems]);
  // The request must be one POST /v1/orders would accept: Shopify texts longer than Ordo keeps, a phone
  // Ordo cannot dial, more lines than an order holds.
  for (const e of orderRequest.Errors(mapping.value.order)) problems.push({ field: `order${e.instancePath.replaceAll('/', '.')}`, message: e.message });
  if (problems.length > 0) return unmappable(problems);

  const { order, captured, note } = mapping.value;
  const placed = await placeOrder(deps, actor, order, `shopify:${channel}:${id.id}`, { source: 'shopify', details: note, captured });
  // A later version of the order racing its first import: the key is taken with another body.
  if (!placed.ok && placed.code === 'idempotency_key_reused') return (await existingOrder(deps, actor, channel, id.id)) ?? placed;
  return placed;
}

async function existingOrder(deps: OrderDeps, actor: Actor, channel: string, externalId: string): Promise<Result<PlaceOrderOutcome> | undefined> {
  const orderId = await findOrderIdByExternalId(deps.db, channel, externalId);
  if (!orderId) return undefined;
  const view = await getOrder(deps.db, actor, orderId);
  return view.ok ? ok({ statusCode: 200, body: view.value }) : view;
}
