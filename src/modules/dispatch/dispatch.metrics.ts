import { sql } from 'kysely';
import client from 'prom-client';
import type { Db } from '../../db/database.js';
import { listConsumers } from './event-consumer.repository.js';

/**
 * Gauges read from the database at scrape time, so every Ordo process reports the same cluster-wide
 * figures: each consumer's lag and consecutive failures, and webhook deliveries waiting or dead.
 */
export function registerDispatchMetrics(registry: client.Registry, db: Db): void {
  // Registered after `lag`, whose collect() fills it: prom-client collects in registration order.
  let failures: client.Gauge | undefined;
  new client.Gauge({
    name: 'ordo_event_consumer_lag_events',
    help: 'Positioned events an outbox consumer has not handled yet',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      for (const c of await listConsumers(db)) {
        this.set({ consumer: c.name }, c.lag);
        failures?.set({ consumer: c.name }, c.failures);
      }
    },
  });
  failures = new client.Gauge({ name: 'ordo_event_consumer_failures', help: 'Consecutive failed batches of an outbox consumer', labelNames: ['consumer'], registers: [registry] });
  new client.Gauge({
    name: 'ordo_webhook_deliveries',
    help: 'Webhook deliveries waiting to be sent (pending) or dead-lettered (dead)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await sql<{ status: string; n: string | number }>`
        SELECT 'pending' AS status, count(*) AS n FROM webhook_delivery WHERE status = 'pending'
        UNION ALL SELECT 'dead', count(*) FROM webhook_delivery WHERE status = 'dead'`.execute(db);
      for (const r of rows.rows) this.set({ status: r.status }, Number(r.n));
    },
  });
}
