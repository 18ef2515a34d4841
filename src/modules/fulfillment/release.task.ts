import pino from 'pino';
import client from 'prom-client';
import { PeriodicTask } from '../../background.js';
import type { Config } from '../../config.js';
import type { FulfillmentDeps } from './fulfillment-step.js';
import { releaseDueFulfillments, RELEASE_JOB } from './release-held.js';

type Log = Pick<pino.Logger, 'info' | 'error'>;

/**
 * Counters of the release task, per process (sum them across processes). Created unregistered so the
 * context owns them; app.ts adds them to the /metrics registry.
 */
export class ReleaseMetrics {
  readonly released = new client.Counter({ name: 'ordo_fulfillments_released_total', help: 'Held ship fulfillments released to their locations', registers: [] });
  readonly merged = new client.Counter({ name: 'ordo_fulfillments_merged_total', help: 'Fulfillments merged into another order\'s shipment at release', registers: [] });

  register(registry: client.Registry): void {
    for (const m of [this.released, this.merged]) registry.registerMetric(m);
  }
}

/** The durable release timer: held work lives in fulfillment_order (status held, release_at), so a restart loses nothing. */
export function releaseTask(deps: FulfillmentDeps & { config: Config; metrics: ReleaseMetrics }, log: Log = pino({ name: RELEASE_JOB, level: deps.config.logLevel })): PeriodicTask {
  return new PeriodicTask(
    RELEASE_JOB,
    deps.config.timerIntervalMs,
    async () => {
      const run = await releaseDueFulfillments(deps);
      deps.metrics.released.inc(run.released);
      deps.metrics.merged.inc(run.merged);
      if (run.released > 0) log.info({ ...run }, 'held fulfillments released');
    },
    log,
  );
}
