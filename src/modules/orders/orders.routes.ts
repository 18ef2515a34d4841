import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import type { Role } from '../../domain/shared/actor.js';
import { ANY_ROLE } from '../../http/auth.js';
import { errorBody, sendResult } from '../../http/error-handler.js';
import { Page, PageQuery } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { cancelOrder } from './cancel-order.js';
import { changeDelivery } from './change-delivery.js';
import { ChangePickupInput } from './change-pickup.schemas.js';
import { changePickupStore } from './change-pickup-store.js';
import { getOrder, getTimeline, searchOrders } from './get-order.js';
import { placeOrder, type OrderDeps } from './place-order.js';
import { CancelOrderInput, ChangeDeliveryInput, OrderListQuery, OrderSummary, OrderView, PlaceOrderInput, TimelineEntry } from './order.schemas.js';

const tags = ['orders'];
const responses = { ...errorResponses, 409: Type.Ref('ErrorResponse'), 422: Type.Ref('ErrorResponse') };
const IdempotencyKey = Type.String({ minLength: 1, maxLength: 200 });
const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'order id, or its number (ORD-2026-000123)' }) });
/** Channels, call centres, store associates and ops take orders; every role may read them. */
const ORDER_TAKERS: readonly Role[] = ['admin', 'integration', 'service', 'store', 'ops'];

export const orderRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  const deps: OrderDeps = { db: ctx.db, clock: ctx.clock, availability: ctx.availability, data: ctx.promiseData, payments: ctx.payments };

  app.post(
    '/orders',
    {
      config: { roles: ORDER_TAKERS },
      schema: {
        tags,
        summary: 'Place an order from any channel (Idempotency-Key required): stock, promise, payment authorisation and events in one transaction',
        headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) }),
        body: PlaceOrderInput,
        response: { 200: OrderView, 201: OrderView, ...responses, 402: Type.Ref('ErrorResponse') },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      if (key === undefined) {
        return reply.code(400).send(errorBody('idempotency_key_required', 'POST /v1/orders needs an Idempotency-Key header (a retry with the same key never creates a second order)'));
      }
      const result = await placeOrder(deps, req.actor, req.body, key);
      if (!result.ok) return sendResult(reply, result);
      const { statusCode, body, json } = result.value;
      // The JSON already written for the key is the answer (what the schema's serialiser would write of it).
      if (json !== undefined) return reply.code(statusCode).type('application/json; charset=utf-8').send(json);
      return reply.code(statusCode).send(body);
    },
  );

  app.get(
    '/orders',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'Find orders by customer e-mail or phone, status, channel, location, delivery method, date, number or external id (newest first; a store key sees its stores)',
        querystring: Type.Intersect([PageQuery, OrderListQuery]),
        response: { 200: Page(OrderSummary), ...errorResponses },
      },
    },
    async (req) => searchOrders(ctx.db, req.actor, req.query),
  );

  app.get(
    '/orders/:id',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'An order with its lines, allocations, promise and payments', params: OrderParams, response: { 200: OrderView, ...responses } } },
    async (req, reply) => sendResult(reply, await getOrder(ctx.db, req.actor, req.params.id)),
  );

  app.get(
    '/orders/:id/timeline',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: "Every change of the order: who, what, when, and why (allocations, payments, cancellations)",
        params: OrderParams,
        response: { 200: Type.Object({ orderId: Type.String(), number: Type.String(), items: Type.Array(TimelineEntry) }), ...responses },
      },
    },
    async (req, reply) => sendResult(reply, await getTimeline(ctx.db, req.actor, req.params.id)),
  );

  app.post(
    '/orders/:id/cancel',
    {
      config: { roles: ORDER_TAKERS },
      // No body at all means the whole order, for the customer's reason.
      preValidation: async (req) => {
        (req as { body: unknown }).body ??= {};
      },
      schema: {
        tags,
        summary: 'Cancel the order or some lines before fulfillment: stock released, payment voided or refunded',
        params: OrderParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) }),
        body: CancelOrderInput,
        response: { 200: OrderView, ...responses },
      },
    },
    async (req, reply) => sendResult(reply, await cancelOrder(deps, req.actor, req.params.id, req.body, req.headers['idempotency-key'])),
  );

  app.patch(
    '/orders/:id/delivery',
    {
      config: { roles: ORDER_TAKERS },
      schema: {
        tags,
        summary: 'Change the delivery address before fulfillment (re-promised and re-sourced when the postal code or country changes)',
        params: OrderParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) }),
        body: ChangeDeliveryInput,
        response: { 200: OrderView, ...responses },
      },
    },
    async (req, reply) => sendResult(reply, await changeDelivery(deps, req.actor, req.params.id, req.body, req.headers['idempotency-key'])),
  );

  app.patch(
    '/orders/:id/pickup',
    {
      config: { roles: ORDER_TAKERS },
      schema: {
        tags,
        summary: 'Collect from another store, before the order is prepared (re-promised and re-sourced for the new store)',
        params: OrderParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) }),
        body: ChangePickupInput,
        response: { 200: OrderView, ...responses },
      },
    },
    async (req, reply) => sendResult(reply, await changePickupStore(deps, req.actor, req.params.id, req.body, req.headers['idempotency-key'])),
  );
};
