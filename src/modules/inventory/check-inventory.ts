import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import { compensationFor, findDrift, type Drift } from '../../domain/inventory/invariant-check.js';
import type { Actor } from '../../domain/shared/actor.js';
import { auditPositions, auditPositionsPage, writeReserved } from './invariant.repository.js';
import { appendLedger, stockChanged } from './ledger.repository.js';
import { lockPositions } from './stock.repository.js';

const PAGE = 5_000;
const LISTED = 1_000;

export interface InventoryCheckReport {
  checkedPositions: number;
  driftCount: number;
  /** The first 1,000 drifts found (before any fix). */
  drift: Drift[];
  fixed: number;
}

/**
 * Recomputes every position from its ledger and from the open claims on it (reserved sources) and
 * reports drift. Each page of positions is read in one statement, so a page is a consistent snapshot
 * even while stock moves. With `fix`, the drifting positions are locked in (sku, location) order, checked
 * again, and repaired in one transaction: reserved takes the sum of its sources, on hand stays as fed,
 * and a 'compensation' ledger row (plus stock.changed) makes the ledger agree.
 */
export async function checkInventory(db: Db, actor: Actor, opts: { fix?: boolean } = {}): Promise<InventoryCheckReport> {
  const drift: Drift[] = [];
  let checkedPositions = 0;
  for (let page = await auditPositionsPage(db, undefined, PAGE); page.length > 0; ) {
    checkedPositions += page.length;
    drift.push(...findDrift(page));
    const last = page[page.length - 1]!;
    page = page.length < PAGE ? [] : await auditPositionsPage(db, last, PAGE);
  }
  const report = { checkedPositions, driftCount: drift.length, drift: drift.slice(0, LISTED), fixed: 0 };
  if (!opts.fix || drift.length === 0) return report;

  report.fixed = await db.transaction().execute(async (tx) => {
    const keys = drift.map((d) => ({ sku: d.sku, locationId: d.locationId }));
    await lockPositions(tx, keys);
    const current = findDrift(await auditPositions(tx, keys));
    await appendLedger(tx, current.map((d) => ({ ...compensationFor(d), cause: 'compensation' as const, source: 'inventory-check', reference: null, actor: actor.id })));
    const reservedFixes = current.filter((d) => d.reserved !== d.expectedReserved);
    const written = await writeReserved(tx, reservedFixes.map((d) => ({ sku: d.sku, locationId: d.locationId, reserved: d.expectedReserved })));
    await appendEvents(tx, written.map((p) => stockChanged(p, 'compensation')));
    return current.length;
  });
  return report;
}
