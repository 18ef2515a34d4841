/**
 * Who gives units up when a stock feed (snapshot, count, movements, ERP file, store adjustment) leaves a
 * position with reserved > on hand: the shortfall `reserved - onHand` is freed from the claims on that
 * position in this order, until it is 0 or nothing that may be taken is left:
 *
 * 1. holds past their expiry time (the expiry timer has not ended them yet): they are dead anyway;
 * 2. cart holds, soonest expiry first: nobody has bought these units yet;
 * 3. promise holds, soonest expiry first: a customer is at checkout with a quoted date. A promise hold is
 *    the quote of a whole option (dates, pick load, every line), so it cannot lose some units and stay
 *    true: it is released whole, even if that frees more than the shortfall;
 * 4. units of orders whose fulfillment at the position is not picked yet, newest order first, so the
 *    oldest acknowledged orders keep their units. Only the missing quantity is taken (a short pick).
 *
 * An order never loses units while a hold that is not an order still claims the position, and units
 * already picked, packed or shipped are never claims here (the caller does not list them).
 */
export type HoldKind = 'cart' | 'promise';

export interface HoldClaim {
  kind: HoldKind;
  /** The reservation row at the position. */
  reservationId: string;
  holdId: string;
  /** For a promise hold, its token (`promise:<token>` reference). */
  token: string | null;
  quantity: number;
  expiresAt: Date;
  createdAt: Date;
}

export interface OrderClaim {
  fulfillmentId: string;
  orderId: string;
  orderNumber: string;
  orderCreatedAt: Date;
  /** Units of the SKU the fulfillment holds at the position and has not picked. */
  quantity: number;
}

export type Claim = ({ type: 'hold' } & HoldClaim) | ({ type: 'order' } & OrderClaim);

export interface Release {
  claim: Claim;
  /** Units this claim gives up (a promise hold gives all it holds at the position). */
  units: number;
}

const time = (d: Date): number => d.getTime();

/** Holds in the order they give units up (see the module doc); ties broken by newest created, then id. */
export function holdsInGivingOrder(holds: readonly HoldClaim[], now: Date): HoldClaim[] {
  const rank = (h: HoldClaim): number => (time(h.expiresAt) <= time(now) ? 0 : h.kind === 'cart' ? 1 : 2);
  return [...holds].sort(
    (a, b) => rank(a) - rank(b) || time(a.expiresAt) - time(b.expiresAt) || time(b.createdAt) - time(a.createdAt) || (a.reservationId < b.reservationId ? -1 : a.reservationId > b.reservationId ? 1 : 0),
  );
}

/** Orders newest first (by creation, then number), so the oldest keep their units. */
export function ordersInGivingOrder(orders: readonly OrderClaim[]): OrderClaim[] {
  return [...orders].sort(
    (a, b) => time(b.orderCreatedAt) - time(a.orderCreatedAt) || (a.orderNumber < b.orderNumber ? 1 : a.orderNumber > b.orderNumber ? -1 : 0) || (a.fulfillmentId < b.fulfillmentId ? -1 : 1),
  );
}

/** Every claim in giving order: holds first, then orders. */
export function claimsInGivingOrder(holds: readonly HoldClaim[], orders: readonly OrderClaim[], now: Date): Claim[] {
  return [...holdsInGivingOrder(holds, now).map((h) => ({ type: 'hold' as const, ...h })), ...ordersInGivingOrder(orders).map((o) => ({ type: 'order' as const, ...o }))];
}

/** What one claim gives up of a shortfall: all of a promise hold, otherwise no more than needed. */
export function unitsToRelease(claim: Claim, shortfall: number): number {
  if (shortfall <= 0 || claim.quantity <= 0) return 0;
  if (claim.type === 'hold' && claim.kind === 'promise') return claim.quantity;
  return Math.min(shortfall, claim.quantity);
}

/**
 * The whole plan for a shortfall over the claims (in giving order): each claim gives what
 * `unitsToRelease` says until the shortfall is covered. Invariants: nothing negative; orders give
 * nothing while holds cover the shortfall; the units taken from orders are exactly
 * min(what the holds left uncovered, what the orders hold).
 */
export function planShortfall(shortfall: number, holds: readonly HoldClaim[], orders: readonly OrderClaim[], now: Date): Release[] {
  const out: Release[] = [];
  let left = shortfall;
  for (const claim of claimsInGivingOrder(holds, orders, now)) {
    const units = unitsToRelease(claim, left);
    if (units === 0) continue;
    out.push({ claim, units });
    left -= units;
  }
  return out;
}
