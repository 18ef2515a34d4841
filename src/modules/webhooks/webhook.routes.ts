import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import type { Role } from '../../domain/shared/actor.js';
import { EVENT_TYPES } from '../../domain/events/event-types.js';
import { errorBody, sendResult } from '../../http/error-handler.js';
import { decodeCursor, encodeCursor, Page, PageQuery } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { createWebhook } from './create-webhook.js';
import { findDelivery, listDeliveries } from './delivery.repository.js';
import { replayWebhook } from './replay-webhook.js';
import { requeueDeadLettersOf } from './requeue-dead-letters.js';
import { updateWebhook } from './update-webhook.js';
import { deleteSubscription, findSubscription, listSubscriptions } from './webhook.repository.js';
import {
  CreatedWebhook,
  CreateWebhookInput,
  DeliveriesQuery,
  Delivery,
  DeliveryDetail,
  DeliveryParams,
  ReplayInput,
  ReplayStarted,
  RequeueInput,
  UpdateWebhookInput,
  Webhook,
  WebhookParams,
} from './webhook.schemas.js';

const tags = ['webhooks'];
const roles: readonly Role[] = ['admin', 'integration'];
const responses = { ...errorResponses, 422: Type.Ref('ErrorResponse') };
const notFound = (id: string) => errorBody('webhook_not_found', `no webhook subscription ${id}`);

export const webhookRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/webhooks/event-types',
    {
      config: { roles },
      schema: { tags, summary: 'Event types a subscription can filter on (exact, family.* or *)', response: { 200: Type.Object({ items: Type.Array(Type.String()) }) } },
    },
    async () => ({ items: [...EVENT_TYPES] }),
  );

  app.post(
    '/webhooks',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Subscribe an endpoint to events: signed POSTs, retried with backoff, dead-lettered after maxAttempts',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        body: CreateWebhookInput,
        response: { 201: CreatedWebhook, ...responses },
      },
    },
    async (req, reply) => {
      const { timeoutMs, maxAttempts } = ctx.config.webhooks;
      return sendResult(reply, await createWebhook(ctx.db, ctx.clock, req.actor, req.body, { timeoutMs, maxAttempts }, req.headers['idempotency-key']), 201);
    },
  );

  app.get(
    '/webhooks',
    { config: { roles }, schema: { tags, summary: 'List webhook subscriptions (secrets are never shown again)', querystring: PageQuery, response: { 200: Page(Webhook), ...responses } } },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const items = await listSubscriptions(ctx.db, { after: decodeCursor(req.query.cursor), limit: limit + 1 });
      const page = items.slice(0, limit);
      const last = page.at(-1);
      return { items: page, nextCursor: items.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
    },
  );

  app.get(
    '/webhooks/:id',
    { config: { roles }, schema: { tags, summary: 'Read a webhook subscription', params: WebhookParams, response: { 200: Webhook, ...responses } } },
    async (req, reply) => (await findSubscription(ctx.db, req.params.id)) ?? reply.code(404).send(notFound(req.params.id)),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { roles },
      schema: { tags, summary: 'Change the URL, filters, limits, or pause/resume', params: WebhookParams, body: UpdateWebhookInput, response: { 200: Webhook, ...responses } },
    },
    async (req, reply) => sendResult(reply, await updateWebhook(ctx.db, ctx.clock, req.params.id, req.body)),
  );

  app.delete(
    '/webhooks/:id',
    { config: { roles }, schema: { tags, summary: 'Delete a subscription with its delivery log', params: WebhookParams, response: { 204: Type.Null(), ...responses } } },
    async (req, reply) => ((await deleteSubscription(ctx.db, req.params.id)) ? reply.code(204).send(null) : reply.code(404).send(notFound(req.params.id))),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { roles },
      schema: {
        tags,
        summary: 'Delivery log, newest first: status, attempts, last status code, error and duration',
        params: WebhookParams,
        querystring: DeliveriesQuery,
        response: { 200: Page(Delivery), ...responses },
      },
    },
    async (req, reply) => {
      if (!(await findSubscription(ctx.db, req.params.id))) return reply.code(404).send(notFound(req.params.id));
      const limit = req.query.limit ?? 50;
      const before = decodeCursor<string>(req.query.cursor);
      const items = await listDeliveries(ctx.db, req.params.id, { status: req.query.status, before: typeof before === 'string' && /^\d{1,18}$/.test(before) ? before : undefined, limit: limit + 1 });
      const page = items.slice(0, limit);
      return { items: page, nextCursor: items.length > limit ? encodeCursor(page.at(-1)!.id) : null };
    },
  );

  app.get(
    '/webhooks/:id/deliveries/:deliveryId',
    { config: { roles }, schema: { tags, summary: 'One delivery with every attempt', params: DeliveryParams, response: { 200: DeliveryDetail, ...responses } } },
    async (req, reply) =>
      (await findDelivery(ctx.db, req.params.id, req.params.deliveryId)) ??
      reply.code(404).send(errorBody('webhook_delivery_not_found', `no delivery ${req.params.deliveryId} for webhook ${req.params.id}`)),
  );

  app.post(
    '/webhooks/:id/deliveries/requeue',
    {
      config: { roles },
      schema: { tags, summary: 'Send dead letters again (a fresh round of attempts)', params: WebhookParams, body: RequeueInput, response: { 200: Type.Object({ requeued: Type.Integer() }), ...responses } },
    },
    async (req, reply) => sendResult(reply, await requeueDeadLettersOf(ctx.db, ctx.clock, req.params.id, req.body.deliveryIds)),
  );

  app.post(
    '/webhooks/:id/replay',
    {
      config: { roles },
      schema: { tags, summary: 'Send again every matching event after a position, in order', params: WebhookParams, body: ReplayInput, response: { 202: ReplayStarted, ...responses } },
    },
    async (req, reply) => sendResult(reply, await replayWebhook(ctx.db, ctx.clock, req.params.id, req.body.after), 202),
  );
};
