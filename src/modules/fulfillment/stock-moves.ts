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
 * constraints (on_hand ≥ 0, reserved ≥ 0) make a wrong move fail the whole step instead of writing it.
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
    const r = await sql<PositionState>`
      UPDATE stock_position SET on_hand = on_hand + ${onHand}, reserved = reserved + ${reserved}
      WHERE sku = ${sku} AND location_id = ${locationId}
      RETURNING sku, location_id AS "locationId", on_hand AS "onHand", reserved, safety_stock AS "safetyStock"`.execute(tx);
    const after = r.rows[0];
    if (!after) throw new Error(`stock position ${locationId}/${sku} is missing for a ${cause}`);
    let h = after.onHand - onHand;
    let v = after.reserved - reserved;
    for (const m of group) {
      ledger.push({ sku, locationId, cause, onHandBefore: h, onHandAfter: h + m.onHandDelta, reservedBefore: v, reservedAfter: v + m.reservedDelta, source: m.source, reference, actor: actor.id });
      h += m.onHandDelta;
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
