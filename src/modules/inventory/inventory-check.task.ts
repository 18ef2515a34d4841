import pino from 'pino';
import { PeriodicTask } from '../../background.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { systemActor } from '../../domain/shared/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import { checkInventory } from './check-inventory.js';
import { claimJobRun, recordJobResult } from './invariant.repository.js';

export const INVENTORY_CHECK_JOB = 'inventory-check';

type Log = Pick<pino.Logger, 'warn' | 'info' | 'error'>;

/**
 * The scheduled invariant check (report only, never fixes). Its due time is a durable timer in
 * job_run, looked at every `timerIntervalMs`: it survives restarts, and with several Ordo processes
 * exactly one of them runs each check. Drift is logged and the result kept in job_run.last_result.
 */
export function inventoryCheckTask(deps: { db: Db; clock: Clock; config: Config }, log: Log = pino({ name: INVENTORY_CHECK_JOB, level: deps.config.logLevel })): PeriodicTask {
  const every = deps.config.inventoryCheckIntervalMs;
  return new PeriodicTask(
    INVENTORY_CHECK_JOB,
    Math.min(deps.config.timerIntervalMs, every),
    async () => {
      const now = deps.clock.now();
      if (!(await claimJobRun(deps.db, INVENTORY_CHECK_JOB, now, new Date(now.getTime() + every)))) return;
      const report = await checkInventory(deps.db, systemActor(INVENTORY_CHECK_JOB));
      await recordJobResult(deps.db, INVENTORY_CHECK_JOB, { at: now.toISOString(), checkedPositions: report.checkedPositions, driftCount: report.driftCount, drift: report.drift.slice(0, 20) });
      if (report.driftCount > 0) log.warn({ driftCount: report.driftCount, drift: report.drift.slice(0, 20) }, 'inventory drift: positions disagree with their ledger or reservations (run `ordo inventory check --fix`)');
    },
    log,
  );
}
