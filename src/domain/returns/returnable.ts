import { fail, ok, type Failure, type Result } from '../shared/result.js';
import type { ReturnStatus } from './return-lifecycle.js';

const DAY_MS = 86_400_000;

/** Units of an order line that reached the customer at one instant (a delivery, a collection, a counter sale). */
export interface DeliveredUnits {
  quantity: number;
  /** When the customer got them (epoch ms): the return window runs from here. */
  at: number;
}

/** What an order line allows to return. */
export interface LineReturnFacts {
  lineId: string;
  sku: string;
  delivered: readonly DeliveredUnits[];
  /** Units other returns already account for (see `unitsTaken`). */
  taken: number;
}

/** A return line as far as the returnable count is concerned. */
export interface TakenLine {
  status: ReturnStatus;
  quantity: number;
  resellable: number | null;
  damaged: number | null;
}

/**
 * Units a return line takes from its order line: all of them while requested, those that came back
 * (resellable or damaged) once received, none when cancelled. Units found missing on receipt are given
 * back: the customer may still return them.
 */
export function unitsTaken(l: TakenLine): number {
  if (l.status === 'cancelled') return 0;
  if (l.status === 'requested') return l.quantity;
  return (l.resellable ?? 0) + (l.damaged ?? 0);
}

export interface Returnable {
  delivered: number;
  /** Delivered and not taken by another return, in or out of the window. */
  open: number;
  /** What may be returned now: open units, but never more than were delivered within the window. */
  returnable: number;
  /** When the window of the last delivered units closes (null: nothing delivered). */
  windowEndsAt: number | null;
}

/**
 * Returnable units of a line: delivered − taken, and no more than the units delivered within the last
 * `windowDays` days (units returned before count against the oldest deliveries first, the customer's
 * favour). Invariant (property-tested): 0 ≤ returnable ≤ open ≤ delivered.
 * Example: 3 delivered 40 days ago, 1 taken, window 30 days → open 2, returnable 0.
 */
export function returnableUnits(f: Pick<LineReturnFacts, 'delivered' | 'taken'>, now: number, windowDays: number): Returnable {
  const delivered = f.delivered.reduce((s, d) => s + d.quantity, 0);
  const inWindow = f.delivered.filter((d) => now <= d.at + windowDays * DAY_MS).reduce((s, d) => s + d.quantity, 0);
  const open = Math.max(0, delivered - f.taken);
  const last = f.delivered.reduce<number | null>((m, d) => (m === null || d.at > m ? d.at : m), null);
  return { delivered, open, returnable: Math.min(open, inWindow), windowEndsAt: last === null ? null : last + windowDays * DAY_MS };
}

export interface RequestedLine {
  lineId: string;
  quantity: number;
}

/**
 * Checks the lines a return asks for against what each order line allows, every problem at once:
 * unknown or repeated lines (line_not_found, return_lines_invalid), more than delivered and not yet
 * returned (return_quantity_exceeded), or units whose window has closed (return_window_closed).
 */
export function checkReturnLines(facts: readonly LineReturnFacts[], requested: readonly RequestedLine[], now: number, windowDays: number): Result<LineReturnFacts[]> {
  const byId = new Map(facts.map((f) => [f.lineId, f]));
  const unknown = requested.filter((r) => !byId.has(r.lineId)).map((r) => r.lineId);
  if (unknown.length > 0) return fail('line_not_found', `the order has no line ${unknown.join(', ')}`, { lineIds: unknown });
  const repeated = requested.filter((r, i) => requested.findIndex((x) => x.lineId === r.lineId) !== i).map((r) => r.lineId);
  if (repeated.length > 0) return fail('return_lines_invalid', 'each order line appears once in a return', { lineIds: [...new Set(repeated)] });

  const exceeded: Array<Record<string, unknown>> = [];
  const closed: Array<Record<string, unknown>> = [];
  for (const r of requested) {
    const f = byId.get(r.lineId)!;
    const u = returnableUnits(f, now, windowDays);
    const base = { lineId: r.lineId, sku: f.sku, requested: r.quantity, delivered: u.delivered, alreadyReturned: u.delivered - u.open, returnable: u.returnable };
    if (r.quantity > u.open) exceeded.push(base);
    else if (r.quantity > u.returnable) closed.push({ ...base, windowDays, windowEndedAt: u.windowEndsAt === null ? null : new Date(u.windowEndsAt).toISOString() });
  }
  if (exceeded.length > 0) return refusal('return_quantity_exceeded', 'more units than were delivered and not yet returned', exceeded);
  if (closed.length > 0) return refusal('return_window_closed', `the ${windowDays}-day return window has closed for these units`, closed);
  return ok(requested.map((r) => byId.get(r.lineId)!));
}

const refusal = (code: string, message: string, lines: unknown[]): Failure => fail(code, message, { lines });
