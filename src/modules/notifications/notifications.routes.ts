import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { SUPPRESSION_REASONS } from '../../domain/notifications/delivery-policy.js';
import { unsubscribePage } from '../../domain/notifications/unsubscribe-page.js';
import { errorBody, sendFailure, sendResult } from '../../http/error-handler.js';
import { decodeCursor, encodeCursor, Page } from '../../http/pagination.js';
import { errorResponses, StringEnum } from '../../http/schemas.js';
import { listNotificationsForOrder } from './notification.repository.js';
import { Notification, OrderIdParam, Suppression, SuppressionInput, SuppressionParams, SuppressionQuery, UnsubscribeQuery } from './notifications.schemas.js';
import { removeSuppression } from './remove-suppression.js';
import { checkedAddress, setSuppression } from './set-suppression.js';
import { listSuppressions } from './suppression.repository.js';
import { readUnsubscribeLink, unsubscribe } from './unsubscribe.js';

const tags = ['notifications'];

export const notificationsRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  const { notifications } = ctx;
  const brand = ctx.config.notifications.brand;

  // The unsubscribe form and mail clients' one-click POST (RFC 8058) send `List-Unsubscribe=One-Click`
  // form-encoded; the link's token says everything, so the body is accepted and ignored.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, _body, done) => done(null, {}));

  app.get(
    '/orders/:orderId/notifications',
    {
      config: { roles: ['admin', 'ops', 'service'] },
      schema: {
        tags,
        summary: 'E-mails and SMS sent (or held back) about an order, oldest first',
        params: OrderIdParam,
        response: { 200: Type.Object({ items: Type.Array(Notification) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await listNotificationsForOrder(ctx.db, req.params.orderId) }),
  );

  app.get(
    '/notifications/unsubscribe',
    {
      config: { public: true },
      schema: { tags, summary: 'Page of a signed unsubscribe link: asks to confirm (opening it changes nothing)', querystring: UnsubscribeQuery },
    },
    async (req, reply) => {
      const claim = readUnsubscribeLink(req.query.token, await notifications.unsubscribeSecret());
      if (!claim.ok) return sendFailure(reply, claim);
      return reply.type('text/html; charset=utf-8').send(unsubscribePage(claim.value.language, 'confirm', claim.value.address, brand));
    },
  );

  app.post(
    '/notifications/unsubscribe',
    {
      config: { public: true },
      schema: { tags, summary: 'Unsubscribe from optional notifications (the page’s button, or a mail client’s one-click)', querystring: UnsubscribeQuery },
    },
    async (req, reply) => {
      const result = await unsubscribe(ctx, req.query.token, await notifications.unsubscribeSecret());
      if (!result.ok) return sendFailure(reply, result);
      return reply.type('text/html; charset=utf-8').send(unsubscribePage(result.value.language, 'done', result.value.address, brand));
    },
  );

  app.get(
    '/notifications/suppressions',
    {
      config: { roles: ['admin', 'ops', 'service'] },
      schema: { tags, summary: 'Suppressed addresses (unsubscribed, hard-bounced, blocked by an admin)', querystring: SuppressionQuery, response: { 200: Page(Suppression), ...errorResponses } },
    },
    async (req, reply) => {
      const limit = req.query.limit ?? 50;
      let address: string | undefined;
      if (req.query.address !== undefined) {
        if (!req.query.channel) return reply.code(400).send(errorBody('validation_failed', 'filtering by address needs a channel'));
        const checked = checkedAddress(req.query.channel, req.query.address);
        if (!checked.ok) return sendFailure(reply, checked);
        address = checked.value;
      }
      const items = await listSuppressions(ctx.db, { channel: req.query.channel, address, after: decodeCursor(req.query.cursor), limit: limit + 1 });
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page, nextCursor: items.length > limit && last ? encodeCursor([last.channel, last.address, last.reason]) : null };
    },
  );

  app.put(
    '/notifications/suppressions/:channel/:address',
    {
      schema: {
        tags,
        summary: 'Suppress an address (admin: no message at all, essential ones included)',
        params: SuppressionParams,
        body: SuppressionInput,
        response: { 200: Type.Object({ items: Type.Array(Suppression) }), 201: Type.Object({ items: Type.Array(Suppression) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const result = await setSuppression(ctx, req.actor, req.params.channel, req.params.address, req.body);
      if (!result.ok) return sendFailure(reply, result);
      return reply.code(result.value.created ? 201 : 200).send({ items: result.value.suppressions });
    },
  );

  app.delete(
    '/notifications/suppressions/:channel/:address',
    {
      schema: {
        tags,
        summary: 'Lift the suppressions of an address (all, or one reason)',
        params: SuppressionParams,
        querystring: Type.Object({ reason: Type.Optional(StringEnum(SUPPRESSION_REASONS)) }),
        response: { 200: Type.Object({ removed: Type.Array(Suppression) }), ...errorResponses },
      },
    },
    async (req, reply) => sendResult(reply, await removeSuppression(ctx.db, req.actor, req.params.channel, req.params.address, req.query.reason)),
  );
};
