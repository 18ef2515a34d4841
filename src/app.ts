import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { OrdoContext } from './context.js';
import { installAuth } from './http/auth.js';
import { installErrorHandler } from './http/error-handler.js';
import { installObservability } from './http/observability.js';
import { installWebApp } from './http/web-app.js';
import { ErrorResponse } from './http/schemas.js';
import { accessRoutes } from './modules/access/access.routes.js';
import { availabilityRoutes } from './modules/availability/availability.routes.js';
import { eventsRoutes } from './modules/events/events.routes.js';
import { dispatchRoutes } from './modules/dispatch/dispatch.routes.js';
import { registerDispatchMetrics } from './modules/dispatch/dispatch.metrics.js';
import { webhookRoutes } from './modules/webhooks/webhook.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { networkRoutes } from './modules/network/network.routes.js';
import { promiseRoutes } from './modules/promise/promise.routes.js';
import { carrierRoutes } from './modules/promise/carriers.routes.js';
import { inventoryRoutes } from './modules/inventory/inventory.routes.js';
import { reservationsRoutes } from './modules/reservations/reservations.routes.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { channelRoutes } from './modules/channels/channels.routes.js';
import { orderRoutes } from './modules/orders/orders.routes.js';
import { fulfillmentRoutes } from './modules/fulfillment/fulfillment.routes.js';
import { customerRoutes } from './modules/customers/customers.routes.js';
import { integrationRoutes } from './modules/integrations/integrations.routes.js';
import { sourcingRoutes } from './modules/sourcing/sourcing.routes.js';
import { returnRoutes } from './modules/returns/returns.routes.js';
import { trackingRoutes } from './modules/tracking/tracking.routes.js';
import { reportRoutes } from './modules/reports/reports.routes.js';
import { SessionAuthenticator } from './modules/users/sessions.js';
import { authRoutes } from './modules/users/auth.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';

export interface BuildAppOptions {
  logger?: boolean | object;
}

/** Builds the HTTP application around a context. It never listens: main.ts does, tests use inject(). */
export async function buildApp(ctx: OrdoContext, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 64 * 1024 * 1024, // a 100,000-row stock snapshot fits
    // Behind a load balancer, the client address (rate limits) comes from X-Forwarded-For of trusted proxies only.
    trustProxy: trustProxy(ctx.config.trustProxy),
    // Per-request access logs cost throughput; metrics carry the request figures instead.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Query strings and paths are text, so their numbers and booleans are coerced; JSON bodies are not:
  // `"quantity": "3"` or `"name": 123` is a 400, never silently converted.
  const coercing = validator(true);
  const strict = validator(false);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
  app.addSchema(ErrorResponse);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Ordo API', version: '1', description: 'Omnichannel order management: stock, orders, sourcing, promise.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Ordo API key' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });

  installErrorHandler(app);
  await app.register(cookie);
  const sessions = new SessionAuthenticator(ctx.db, ctx.clock);
  installAuth(app, ctx.authenticator, sessions);
  const registry = installObservability(app, ctx.db);
  registerDispatchMetrics(registry, ctx.db);
  ctx.releaseMetrics.register(registry);
  await installWebApp(app);

  await app.register(
    async (v1) => {
      await v1.register(accessRoutes(ctx));
      await v1.register(networkRoutes(ctx));
      await v1.register(inventoryRoutes(ctx));
      await v1.register(reservationsRoutes(ctx));
      await v1.register(catalogRoutes(ctx));
      await v1.register(channelRoutes(ctx));
      await v1.register(availabilityRoutes(ctx));
      await v1.register(eventsRoutes(ctx));
      await v1.register(promiseRoutes(ctx));
      await v1.register(carrierRoutes(ctx));
      await v1.register(dispatchRoutes(ctx));
      await v1.register(webhookRoutes(ctx));
      await v1.register(orderRoutes(ctx));
      await v1.register(fulfillmentRoutes(ctx));
      await v1.register(customerRoutes(ctx));
      await v1.register(integrationRoutes(ctx));
      await v1.register(returnRoutes(ctx));
      await v1.register(notificationsRoutes(ctx));
      await v1.register(sourcingRoutes(ctx));
      await v1.register(trackingRoutes(ctx));
      await v1.register(reportRoutes(ctx));
      await v1.register(authRoutes(ctx, sessions));
      await v1.register(usersRoutes(ctx, sessions));
    },
    { prefix: '/v1' },
  );
  return app;
}

/** A hop count is the n nearest proxies (Fastify's own meaning of a number, which its types leave out). */
function trustProxy(setting: number | string[] | false): string[] | boolean | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

function validator(coerce: boolean): Ajv {
  const ajv = new Ajv({ coerceTypes: coerce ? 'array' : false, useDefaults: true, removeAdditional: false, allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv;
}
