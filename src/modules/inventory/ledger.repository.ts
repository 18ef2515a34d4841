import { insertNowOrLater, type StatementBatch } from '../../db/statement-batch.js';
import type { Tx } from '../../db/database.js';
import type { NewEvent } from '../../db/outbox.js';
import { availableToPromise } from '../../domain/inventory/safety-stock.js';

/** Why a position changed; the invariant check replays these. */
export type LedgerCause =
  | 'set'
  | 'movement'
  | 'snapshot'
  | 'reservation'
  | 'release'
  | 'expiry'
  | 'consume'
  | 'compensation'
  | 'sale'
  | 'shipment'
  | 'collection'
  | 'transfer_out'
  | 'transfer_in'
  | 'discrepancy'
  | 'return'
  | 'damaged';

export interface LedgerEntry {
  sku: string;
  locationId: string;
  cause: LedgerCause;
  onHandBefore: number;
  onHandAfter: number;
  reservedBefore: number;
  reservedAfter: number;
  source?: string | null;
  reference?: string | null;
  actor: string;
}

export interface PositionState {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
}

/** Appends ledger rows in the caller's transaction (chunked: a 100,000-row snapshot stays one command). */
export async function appendLedger(tx: Tx, entries: LedgerEntry[], batch?: StatementBatch): Promise<void> {
  const rows = entries.map((e) => ({
    sku: e.sku,
    location_id: e.locationId,
    cause: e.cause,
    on_hand_before: e.onHandBefore,
    on_hand_after: e.onHandAfter,
    reserved_before: e.reservedBefore,
    reserved_after: e.reservedAfter,
    source: e.source ?? null,
    reference: e.reference ?? null,
    actor: e.actor,
  }));
  await insertNowOrLater(tx, 'inventory_ledger', rows, batch);
}

/** The `stock.changed` event every change of a position emits, carrying the new state. */
export function stockChanged(p: PositionState, cause: LedgerCause): NewEvent {
  return {
    type: 'stock.changed',
    aggregateType: 'stock_position',
    aggregateId: `${p.locationId}/${p.sku}`,
    payload: { sku: p.sku, locationId: p.locationId, onHand: p.onHand, reserved: p.reserved, safetyStock: p.safetyStock, atp: availableToPromise(p), cause },
  };
}
