import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import { appendEvents, type NewEvent } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { appendLedger, stockChanged, type LedgerCause, type LedgerEntry, type PositionState } from '../inventory/ledger.repository.js';
import { ensurePositions } from '../inventory/stock.repository.js';

/** One allocation's units changing a position: both deltas apply together (e.g. −2 on hand, −2 reserved). */
export interface StockMove {
  sku: string;
  locationId: string;
  onHandDelta: number;
  reservedDelta: number;
  /** The allocation (or fulfillment) that moved: the ledger row's source. */
  source: string;
}

const byPosition = (a: StockMove, b: StockMove): number =>
  a.sku === b.sku ? (a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0) : a.sku < b.sku ? -1 : 1;

/**
 * What fulfillment does to stock, in the caller's transaction: units shipped or collected leave on hand
 * and reserved together ('shipment', 'collection', 'transfer_out'), units a short pick did not find
 * leave both too ('discrepancy'), units a transfer brings arrive in both at the pickup store
 * ('transfer_in'). Positions are written in (sku, location) order like every stock writer, one ledger row
 * per move (before/after as the counters really went) and one stock.changed per position. The CHECK
 * constraint reserved ≥ 0 makes a wrong move fail the whole step instead of writing it. On hand stops
 * at 0 instead: units leaving reserved can take it lower only where a stock feed counted fewer units
 * than were reserved (picked units in a parcel are not on the shelf the count saw), and those units
 * must still ship or be collected; the ledger rows say how far on hand really went.
 */
export async function moveStock(tx: Tx, moves: readonly StockMove[], cause: LedgerCause, actor: Actor, reference: string): Promise<PositionState[]> {
  if (moves.length === 0) return [];
  const sorted = [...moves].sort(byPosition);
  const arriving = sorted.filter((m) => m.onHandDelta > 0 || m.reservedDelta > 0);
  if (arriving.length > 0) await ensurePositions(tx, arriving);
  const ledger: LedgerEntry[] = [];
  const events: NewEvent[] = [];
  const out: PositionState[] = [];
  for (let i = 0; i < sorted.length; ) {
    const { sku, locationId } = sorted[i]!;
    let j = i;
    while (j < sorted.length && sorted[j]!.sku === sku && sorted[j]!.locationId === locationId) j++;
    const group = sorted.slice(i, j);
    const onHand = group.reduce((s, m) => s + m.onHandDelta, 0);
    const reserved = group.reduce((s, m) => s + m.reservedDelta, 0);
    const r = await sql<PositionState & { onHandBefore: number }>`
      WITH before AS (SELECT on_hand FROM stock_position WHERE sku = ${sku} AND location_id = ${locationId} FOR UPDATE)
      UPDATE stock_position sp SET on_hand = greatest(sp.on_hand + ${onHand}, 0), reserved = sp.reserved + ${reserved}
      FROM before WHERE sp.sku = ${sku} AND sp.location_id = ${locationId}
      RETURNING sp.sku, sp.location_id AS "locationId", sp.on_hand AS "onHand", sp.reserved, sp.safety_stock AS "safetyStock", before.on_hand AS "onHandBefore"`.execute(tx);
    const row = r.rows[0];
    if (!row) throw new Error(`stock position ${locationId}/${sku} is missing for a ${cause}`);
    const { onHandBefore, ...after } = row;
    let h = onHandBefore;
    let v = after.reserved - reserved;
    for (const m of group) {
      const next = Math.max(h + m.onHandDelta, 0);
      ledger.push({ sku, locationId, cause, onHandBefore: h, onHandAfter: next, reservedBefore: v, reservedAfter: v + m.reservedDelta, source: m.source, reference, actor: actor.id });
      h = next;
      v += m.reservedDelta;
    }
    events.push(stockChanged(after, cause));
    out.push(after);
    i = j;
  }
  await appendLedger(tx, ledger);
  await appendEvents(tx, events);
  return out;
}
