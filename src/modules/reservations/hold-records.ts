import type { NewEvent } from '../../db/outbox.js';
import type { Tx } from '../../db/database.js';
import { compareByPosition, positionKey, type HoldLineRequest } from '../../domain/reservations/hold.js';
import { appendLedger, stockChanged, type LedgerCause, type LedgerEntry } from '../inventory/ledger.repository.js';
import { subtractReserved, toHold, type NewReservation, type ReservationRow } from './reservation.repository.js';
import type { Hold } from './reservation.schemas.js';
import { groupBy } from '../../domain/shared/group-by.js';
import { newRowId } from '../../db/row-id.js';

/** A hold about to be written: ids are made here so one multi-row INSERT needs no RETURNING. */
export interface NewHold {
  holdId: string;
  channel: string | null;
  reference: string | null;
  expiresAt: Date;
  createdAt: Date;
  lines: (HoldLineRequest & { id: string })[];
}

export function newHold(
  input: { lines: readonly HoldLineRequest[]; channel?: string; reference?: string },
  createdAt: Date,
  expiresAt: Date,
): NewHold {
  return {
    holdId: newRowId(),
    channel: input.channel ?? null,
    reference: input.reference ?? null,
    createdAt,
    expiresAt,
    lines: [...input.lines].sort(compareByPosition).map((l) => ({ id: newRowId(), sku: l.sku, locationId: l.locationId, quantity: l.quantity })),
  };
}

export function reservationRows(h: NewHold): NewReservation[] {
  return h.lines.map((l) => ({ ...l, holdId: h.holdId, channelId: h.channel, reference: h.reference, expiresAt: h.expiresAt, createdAt: h.createdAt }));
}

export function holdView(h: NewHold): Hold {
  return {
    id: h.holdId,
    status: 'active',
    channel: h.channel,
    reference: h.reference,
    expiresAt: h.expiresAt.toISOString(),
    createdAt: h.createdAt.toISOString(),
    endedAt: null,
    endedBy: null,
    lines: h.lines.map((l) => ({ ...l, status: 'active' })),
  };
}

export function holdEvent(type: string, hold: Hold): NewEvent {
  return { type, aggregateType: 'reservation', aggregateId: hold.id, payload: hold };
}

/**
 * Gives the units of ended reservations back to their positions: one UPDATE per position in lock order,
 * one ledger row per reservation (before/after chained inside the position), one stock.changed per position.
 */
export async function returnReservedStock(tx: Tx, rows: readonly ReservationRow[], cause: LedgerCause, actor: string): Promise<NewEvent[]> {
  const groups = [...groupBy(rows, (r) => positionKey(r.sku, r.location_id)).values()].sort((a, b) => compareByPosition({ sku: a[0]!.sku, locationId: a[0]!.location_id }, { sku: b[0]!.sku, locationId: b[0]!.location_id }));
  const ledger: LedgerEntry[] = [];
  const events: NewEvent[] = [];
  for (const group of groups) {
    const { sku, location_id: locationId } = group[0]!;
    const total = group.reduce((s, r) => s + r.quantity, 0);
    const after = await subtractReserved(tx, sku, locationId, total);
    let reserved = after.reserved + total;
    for (const r of group) {
      ledger.push({ sku, locationId, cause, onHandBefore: after.onHand, onHandAfter: after.onHand, reservedBefore: reserved, reservedAfter: reserved - r.quantity, source: r.id, reference: r.hold_id, actor });
      reserved -= r.quantity;
    }
    events.push(stockChanged(after, cause));
  }
  await appendLedger(tx, ledger);
  return events;
}

/** Groups rows by hold, for one event per hold. */
export function holdsOf(rows: readonly ReservationRow[]): Hold[] {
  return [...groupBy(rows, (r) => r.hold_id).values()].map(toHold);
}
