import type { DbOrTx } from '../../db/database.js';
import { emailKey } from '../../domain/customers/contact-keys.js';
import type { Clock } from '../../domain/shared/clock.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import { findOrderContact, loadTrackedOrder } from './tracking.repository.js';
import type { TrackingLookup, TrackingView } from './tracking.schemas.js';
import { verifyTrackingToken } from './tracking-token.js';
import { toTrackingView } from './tracking-view.js';

export interface TrackingDeps {
  db: DbOrTx;
  clock: Clock;
  /** The key of tracking links (see trackingKey). */
  secret(): Promise<string>;
}

const notFound = () => fail('tracking_not_found', 'no order matches this number and e-mail address, or this tracking link is invalid or expired');

/** Order numbers as customers type them: spaces around, any case (they are issued upper-case). */
export const normalizeOrderNumber = (n: string): string => n.trim().toUpperCase();

/**
 * POST /v1/tracking/lookup: the tracking page of the order with this number, when the e-mail is the one
 * the order was placed with (the order's contact, or its customer's), without regard to case or spaces.
 * An unknown number and a wrong e-mail get the same answer.
 */
export async function lookupTracking(deps: TrackingDeps, input: TrackingLookup): Promise<Result<TrackingView>> {
  const email = emailKey(input.email);
  const found = await findOrderContact(deps.db, normalizeOrderNumber(input.orderNumber));
  if (!found || !email || (emailKey(found.contactEmail) !== email && found.customerEmailKey !== email)) return notFound();
  return view(deps, found.id);
}

/** GET /v1/tracking/{token}: the tracking page a signed link from a customer message opens. */
export async function trackByToken(deps: TrackingDeps, token: string): Promise<Result<TrackingView>> {
  const claim = verifyTrackingToken(token, await deps.secret(), deps.clock.now());
  if (!claim) return notFound();
  return view(deps, claim.orderId);
}

async function view(deps: TrackingDeps, orderId: string): Promise<Result<TrackingView>> {
  const tracked = await loadTrackedOrder(deps.db, orderId);
  return tracked ? ok(toTrackingView(tracked, deps.clock.now())) : notFound();
}
