import pino from 'pino';
import { PeriodicTask } from '../../background.js';
import type { Config } from '../../config.js';
import { claimsInGivingOrder, type Claim } from '../../domain/inventory/stock-shortfall.js';
import { listHoldClaims, listOversoldPositions, readShortfall, recordUnresolvable, type ShortfallState } from '../inventory/shortfall.repository.js';
import type { ShortfallAction } from '../inventory/shortfall-records.js';
import type { PositionKey } from '../inventory/stock.repository.js';
import { releasePromiseHold, shortenCartHold } from '../reservations/give-up-hold-units.js';
import type { FulfillmentDeps } from './fulfillment-step.js';
import { loseOrderUnits } from './lose-order-units.js';
import { listOrderClaims } from './lost-units.repository.js';

export const SHORTFALL_JOB = 'stock-shortfall';
const POSITIONS_PER_RUN = 200;
// A position needing more steps than this (one claim each) goes on at the next run.
const STEPS_PER_POSITION = 100;

export interface ShortfallReport {
  /** Oversold positions looked at (changed since last looked at). */
  positions: number;
  /** Of those, positions left with reserved ≤ on hand. */
  resolved: number;
  /** Positions still oversold: every unit left is picked or further (kept until it changes), or a step failed (next run). */
  unresolved: Array<PositionKey & { shortfall: number }>;
  /** Units freed from cart and promise holds, and from orders. */
  holdUnits: number;
  orderUnits: number;
  /** Orders whose lost units were re-sourced (re-routed, backordered and/or cancelled). */
  orders: number;
  /** Lost order units cancelled because nothing could serve them. */
  cancelledUnits: number;
  /** Steps refused by a race or an error, left for the next run. */
  failures: number;
}

const claimId = (c: Claim): string => (c.type === 'hold' ? `hold:${c.reservationId}` : `order:${c.fulfillmentId}`);

/**
 * The shortfall resolver (issue 4 §6, "reservations are lost"): every position a stock feed left with
 * reserved > on hand gets exactly its shortfall freed, claim by claim in the order of
 * domain/inventory/stock-shortfall.ts (holds that are not orders first, then orders not picked yet,
 * newest first). Each claim gives its units up in its own transaction that locks the claim, then the
 * position, and reads the shortfall again under the lock: several Ordo processes can run this at once
 * without freeing a unit twice or re-routing an order twice. A position nothing more can be taken from
 * (every unit left is picked, packed or shipped) is remembered with its version (stock_shortfall) and
 * looked at again only once it changes. Returns what was done.
 */
export async function resolveShortfalls(deps: FulfillmentDeps, limit = POSITIONS_PER_RUN): Promise<ShortfallReport> {
  const report: ShortfallReport = { positions: 0, resolved: 0, unresolved: [], holdUnits: 0, orderUnits: 0, orders: 0, cancelledUnits: 0, failures: 0 };
  const positions = await listOversoldPositions(deps.db, limit);
  if (positions.length === 0) return report;
  // Re-sourcing plans on the ATP view: it must include the feed that just lowered these positions.
  await deps.availability.refresh();
  for (const p of positions) {
    report.positions++;
    const left = await resolvePosition(deps, p, report);
    if (left === 0) report.resolved++;
    else report.unresolved.push({ sku: p.sku, locationId: p.locationId, shortfall: left });
  }
  return report;
}

/** Frees the position's shortfall claim by claim; returns what is still missing. */
async function resolvePosition(deps: FulfillmentDeps, key: PositionKey, report: ShortfallReport): Promise<number> {
  const tried = new Set<string>();
  let shortfall = 0;
  for (let step = 0; step < STEPS_PER_POSITION; step++) {
    const state = await readShortfall(deps.db, key);
    shortfall = Math.max(0, state?.shortfall ?? 0);
    if (!state || shortfall === 0) return 0;
    const now = deps.clock.now();
    const claims = claimsInGivingOrder(await listHoldClaims(deps.db, key), await listOrderClaims(deps.db, key), now);
    if (claims.length === 0) {
      if (await rememberUnresolvable(deps, key)) return shortfall;
      continue; // it changed meanwhile: look again
    }
    const next = claims.find((c) => !tried.has(claimId(c)));
    if (!next) return shortfall; // each claim had its chance this run: the rest waits for the next one
    tried.add(claimId(next));
    const done = await giveUp(deps, next, key, now);
    if (done === 'failed') {
      // Never skip ahead to the next claim (an older order): the whole position waits for the next run.
      report.failures++;
      return shortfall;
    }
    if (done) tally(report, done);
  }
  return shortfall;
}

// PostgreSQL's answers to two transactions crossing (deadlock, serialization): that step waits for the next run.
const RACES = new Set(['40P01', '40001']);

async function giveUp(deps: FulfillmentDeps, claim: Claim, key: PositionKey, now: Date): Promise<ShortfallAction | undefined | 'failed'> {
  try {
    if (claim.type === 'hold') return await (claim.kind === 'cart' ? shortenCartHold(deps.db, claim, key, now) : releasePromiseHold(deps.db, claim, key, now));
    const result = await loseOrderUnits(deps, claim, key);
    return result.ok ? result.value : 'failed';
  } catch (err) {
    if (RACES.has((err as { code?: string }).code ?? '')) return 'failed';
    throw err;
  }
}

function tally(report: ShortfallReport, action: ShortfallAction): void {
  if (action.kind !== 'order') {
    report.holdUnits += action.units;
    return;
  }
  report.orderUnits += action.units;
  report.orders++;
  report.cancelledUnits += action.cancelled.reduce((s, u) => s + u.quantity, 0);
}

/**
 * Under the position's lock: still oversold and still nothing to take, so its version is remembered
 * (the resolver skips it until it changes). False when it changed meanwhile (resolved, or a claim appeared).
 */
async function rememberUnresolvable(deps: FulfillmentDeps, key: PositionKey): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const state: ShortfallState | undefined = await readShortfall(tx, key, true);
    if (!state || state.shortfall <= 0) return false;
    if ((await listHoldClaims(tx, key)).length > 0 || (await listOrderClaims(tx, key)).length > 0) return false;
    await recordUnresolvable(tx, state, deps.clock.now());
    return true;
  });
}

/**
 * The resolver as a periodic task, and the way feeds start it at once: `wake()` after a snapshot,
 * count, movement batch or ERP file committed (never inside its transaction, so a big snapshot stays
 * one fast transaction). The run starts in the background (the feed answers at once, still listing its
 * oversold positions); wakes during a run coalesce into one more run. In a process whose tasks are not
 * started (tests, the CLI, a cluster's API-only processes) `wake()` does nothing: the task's next run
 * where it is started, or POST /v1/inventory/shortfalls/resolve, does the work.
 */
export class ShortfallResolver {
  readonly task: ShortfallTask;

  constructor(deps: FulfillmentDeps, config: Pick<Config, 'timerIntervalMs' | 'logLevel'>, log: Pick<pino.Logger, 'info' | 'warn' | 'error'> = pino({ name: SHORTFALL_JOB, level: config.logLevel })) {
    this.resolve = () => resolveShortfalls(deps);
    this.task = new ShortfallTask(
      SHORTFALL_JOB,
      config.timerIntervalMs,
      async () => {
        const report = await this.resolve();
        if (report.failures > 0) log.warn(report, 'stock shortfalls: some steps lost a race and wait for the next run');
        else if (report.positions > 0) log.info(report, 'stock shortfalls resolved');
      },
      log,
    );
  }

  /** One run now (the admin endpoint), with its report. */
  readonly resolve: () => Promise<ShortfallReport>;

  wake(): void {
    this.task.wake();
  }
}

/** A PeriodicTask that can also be woken to run now (once more after the run in progress). */
class ShortfallTask extends PeriodicTask {
  private started = false;
  private woken: Promise<void> | undefined;
  private again = false;

  override start(): void {
    this.started = true;
    super.start();
  }

  override async stop(): Promise<void> {
    this.started = false;
    await super.stop();
    await this.woken;
  }

  wake(): void {
    if (!this.started) return;
    if (this.woken) {
      this.again = true;
      return;
    }
    this.woken = (async () => {
      do {
        this.again = false;
        await this.tick();
      } while (this.again && this.started);
    })().finally(() => {
      this.woken = undefined;
    });
  }
}
