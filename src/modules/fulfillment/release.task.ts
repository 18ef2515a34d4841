import pino from 'pino';
import client from 'prom-client';
import { PeriodicTask } from '../../background.js';
import type { Config } from '../../config.js';
import type { FulfillmentDeps } from './fulfillment-step.js';
import { releaseDueFulfillments, RELEASE_JOB } from './release-held.js';
import { claimJobRun } from '../inventory/invariant.repository.js';
import { endLease, heldWorkDue } from './release.repository.js';

type Log = Pick<pino.Logger, 'info' | 'error'>;

/**
 * Counters of the release task, per process (sum them across processes). Created unregistered so the
 * context owns them; app.ts adds them to the /metrics registry.
 */
export class ReleaseMetrics {
  readonly released = new client.Counter({ name: 'ordo_fulfillments_released_total', help: 'Held ship fulfillments released to their locations', registers: [] });
  readonly merged = new client.Counter({ name: 'ordo_fulfillments_merged_total', help: 'Fulfillments merged into another order\'s shipment at release', registers: [] });
  readonly batches = new client.Counter({ name: 'ordo_batch_reoptimise_runs_total', help: 'Batch re-optimisations of held orders, by solver outcome', labelNames: ['solution'], registers: [] });
  readonly replanned = new client.Counter({ name: 'ordo_batch_replanned_orders_total', help: 'Held orders whose plan the batch re-optimisation replaced', registers: [] });
  readonly costSaved = new client.Counter({ name: 'ordo_batch_cost_saved_minor_total', help: 'Sourcing cost the kept re-plans saved (minor units of the promise currency)', registers: [] });
  readonly shipmentsSaved = new client.Counter({ name: 'ordo_batch_shipments_saved_total', help: 'Shipments (split parcels) the kept re-plans removed', registers: [] });
  readonly skipped = new client.Counter({ name: 'ordo_batch_replans_skipped_total', help: 'Kept re-plans not applied: their orders were busy or changed, or their stock moved (the old plans stay)', registers: [] });
  readonly solveSeconds = new client.Histogram({ name: 'ordo_batch_solve_seconds', help: 'HiGHS time per batch re-optimisation', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5], registers: [] });

  register(registry: client.Registry): void {
    for (const m of [this.released, this.merged, this.batches, this.replanned, this.costSaved, this.shipmentsSaved, this.skipped, this.solveSeconds]) registry.registerMetric(m);
  }
}

/** A run holds the lease at most this long (a process that dies mid-run blocks the others no longer). */
const LEASE_MS = 60_000;

/**
 * The durable release timer: held work lives in fulfillment_order (status held, release_at), so a restart
 * loses nothing. One process runs it at a time (a lease in job_run: re-planning the same held orders on
 * several processes at once would only waste solver time); the run itself stays safe without it.
 */
export function releaseTask(deps: FulfillmentDeps & { config: Config; metrics: ReleaseMetrics }, log: Log = pino({ name: RELEASE_JOB, level: deps.config.logLevel })): PeriodicTask {
  return new PeriodicTask(
    RELEASE_JOB,
    deps.config.timerIntervalMs,
    async () => {
      const now = deps.clock.now();
      // Nothing due (always, with no hold): one indexed read, no lease written.
      if (!(await heldWorkDue(deps.db, now))) return;
      if (!(await claimJobRun(deps.db, RELEASE_JOB, now, new Date(now.getTime() + LEASE_MS)))) return;
      const run = await releaseDueFulfillments(deps).finally(() => endLease(deps.db, RELEASE_JOB, now));
      const m = deps.metrics;
      m.released.inc(run.released);
      m.merged.inc(run.merged);
      const r = run.replan;
      if (r) {
        m.batches.inc({ solution: r.solution });
        if (r.solution !== 'nothing_to_plan') m.solveSeconds.observe(r.solveMillis / 1000);
        m.replanned.inc(r.replanned);
        m.costSaved.inc(r.costSavedMinor);
        m.shipmentsSaved.inc(r.shipmentsSaved);
        m.skipped.inc(r.skipped);
        log.info({ ...r }, `batch re-optimisation: ${r.replanned} of ${r.units} held orders re-planned, ${r.costSavedMinor} saved, ${r.shipmentsSaved} shipments fewer`);
      }
      if (run.released > 0) log.info({ released: run.released, merged: run.merged, busy: run.busy }, 'held fulfillments released');
    },
    log,
  );
}
