import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { errorBody, sendResult } from '../../http/error-handler.js';
import { lookupTracking, normalizeOrderNumber, trackByToken, type TrackingDeps } from './track-order.js';
import { TrackingLookup, TrackingTokenParams, TrackingView } from './tracking.schemas.js';
import { TokenBuckets } from './token-buckets.js';

const tags = ['tracking'];
const errors = { 400: Type.Ref('ErrorResponse'), 404: Type.Ref('ErrorResponse'), 429: Type.Ref('ErrorResponse') };

/**
 * Lookups a client may make: a burst of 20, then one every 6 s. Generous enough for a shop's customers
 * behind one address (mobile carriers' NAT); set ORDO_TRUST_PROXY behind a load balancer so the address
 * is the customer's, not the balancer's.
 */
export const LOOKUPS_PER_CLIENT = { capacity: 20, refillMs: 6_000 };
/** Tries on one order number: 5, then one every 2 minutes: guessing the e-mail of a known number is hopeless. */
export const LOOKUPS_PER_ORDER = { capacity: 5, refillMs: 120_000 };

/**
 * The public order tracking (no key, no session): by order number and e-mail, or by the signed link of a
 * customer message. Lookups are rate-limited per client address and per order number in this process's
 * memory (several processes each apply the limits: still far below what guessing needs).
 */
export const trackingRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  const deps: TrackingDeps = { db: ctx.db, clock: ctx.clock, secret: () => ctx.notifications.trackingSecret() };
  const perClient = new TokenBuckets(LOOKUPS_PER_CLIENT);
  const perOrder = new TokenBuckets(LOOKUPS_PER_ORDER);

  app.post(
    '/tracking/lookup',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Track an order with its number and the e-mail it was placed with (rate-limited; same 404 for an unknown number and a wrong e-mail)',
        security: [],
        body: TrackingLookup,
        response: { 200: TrackingView, ...errors },
      },
    },
    async (req, reply) => {
      const now = ctx.clock.now().getTime();
      const waitMs = perClient.take(req.ip, now) || perOrder.take(normalizeOrderNumber(req.body.orderNumber), now);
      if (waitMs > 0) return tooMany(reply, waitMs);
      return sendResult(reply.header('cache-control', 'no-store'), await lookupTracking(deps, req.body));
    },
  );

  app.get(
    '/tracking/:token',
    {
      config: { public: true },
      schema: { tags, summary: 'Track an order with the signed link of a customer message', security: [], params: TrackingTokenParams, response: { 200: TrackingView, ...errors } },
    },
    async (req, reply) => sendResult(reply.header('cache-control', 'no-store'), await trackByToken(deps, req.params.token)),
  );
};

function tooMany(reply: FastifyReply, waitMs: number): FastifyReply {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .send(errorBody('too_many_requests', `too many tracking attempts: try again in ${seconds} s`, { retryAfterSeconds: seconds }));
}
