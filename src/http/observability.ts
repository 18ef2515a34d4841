import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import client from 'prom-client';
import type { Db } from '../db/database.js';

/** /health/live, /health/ready (checks the database) and /metrics (Prometheus text format). */
export function installObservability(app: FastifyInstance, db: Db): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'ordo_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!route || route.startsWith('/health') || route === '/metrics') return;
    httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const hide = { hide: true };
  app.get('/health/live', { config: { public: true }, schema: hide }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { config: { public: true }, schema: hide }, async (req, reply) => {
    try {
      await sql`SELECT 1`.execute(db);
      return { status: 'ok', database: 'ok' };
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
  app.get('/metrics', { config: { public: true }, schema: hide }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return registry;
}
