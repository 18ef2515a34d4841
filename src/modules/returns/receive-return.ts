import { appendEvents } from '../../db/outbox.js';
import type { Condition, ReturnStatus } from '../../domain/returns/return-lifecycle.js';
import type { ReturnPolicyRules } from '../../domain/returns/return-policy.js';
import { returnedUnitsValue } from '../../domain/returns/return-value.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError, type Result } from '../../domain/shared/result.js';
import { moveStock, type StockMove } from '../fulfillment/stock-moves.js';
import { withOptionalIdempotency } from '../orders/idempotent-command.js';
import { appendTimeline } from '../orders/order.repository.js';
import type { OrderDeps } from '../orders/place-order.js';
import { voidingOnFailure } from './exchange-order.js';
import { addDamaged, linesOfReturns, updateReturn, updateReturnLine, type ReturnLineRow } from './return.repository.js';
import { lockReturn, refuseUnless, type ReturnCommand } from './return-command.js';
import { acceptedBefore, loadReturnFacts } from './return-facts.js';
import { returnEntry, returnEvent } from './return-payloads.js';
import { returnView } from './return-view.js';
import type { ReceiveReturnInput, ReturnView } from './returns.schemas.js';
import { settleReturn } from './settle-return.js';

type Counts = Record<Condition, number>;

/**
 * POST /v1/returns/{id}/receive: the receiving location counts every unit of every return line by
 * condition, in ONE transaction (idempotent with an Idempotency-Key). Resellable units join on hand
 * there at once ('return' ledger rows, stock.changed: sellable everywhere through the availability
 * view); damaged units arrive too and are set aside at once ('damaged' rows) into the location's
 * damaged bucket, never in ATP; missing units are not counted as returned (they may come in a later
 * return). The accepted units are valued (return-value.ts) and, when the policy settles on receipt, the
 * return is refunded, credited or set against its exchange in the same transaction.
 */
export async function receiveReturn(deps: OrderDeps, actor: Actor, id: string, input: ReceiveReturnInput, key?: string): Promise<Result<ReturnView>> {
  return voidingOnFailure((onAuthorised) =>
    withOptionalIdempotency(deps.db, `POST /v1/returns/${id}/receive ${actor.id}`, key, input, async (tx) => {
      const c = await lockReturn(tx, actor, id, deps.clock.now());
      refuseUnless(c, 'received');
      const counts = countsByLine(c, input);
      await receive(c, counts, input.note);
      if ((c.current.ret.policy as unknown as ReturnPolicyRules).autoRefund) await settleReturn(c, deps, onAuthorised);
      return returnView(tx, c.current);
    }),
  );
}

/** The counts per return line; every line answered, each adding up to its quantity, or return_receipt_mismatch. */
function countsByLine(c: ReturnCommand, input: ReceiveReturnInput): Map<string, Counts> {
  const counts = new Map<string, Counts>(c.current.lines.map((l) => [l.id, { resellable: 0, damaged: 0, missing: 0 }]));
  const unknown = input.lines.filter((l) => !counts.has(l.lineId)).map((l) => l.lineId);
  if (unknown.length > 0) throw new BusinessError('return_receipt_mismatch', `return ${c.current.ret.number} has no line ${unknown.join(', ')}`, { unknownLineIds: unknown });
  for (const l of input.lines) counts.get(l.lineId)![l.condition] += l.quantity;
  const wrong = c.current.lines
    .map((l) => ({ lineId: l.id, sku: l.sku, expected: l.quantity, counted: sum(counts.get(l.id)!) }))
    .filter((x) => x.counted !== x.expected);
  if (wrong.length > 0) throw new BusinessError('return_receipt_mismatch', 'every unit of every return line is counted once, by condition', { lines: wrong });
  return counts;
}

const sum = (c: Counts): number => c.resellable + c.damaged + c.missing;

async function receive(c: ReturnCommand, counts: Map<string, Counts>, note: string | undefined): Promise<void> {
  const r = c.current.ret;
  const facts = await loadReturnFacts(c.tx, c.order);
  const arriving: StockMove[] = [];
  const setAside: StockMove[] = [];
  for (const l of c.current.lines) {
    const n = counts.get(l.id)!;
    const line = c.order.lines.find((x) => x.id === l.order_line_id);
    if (!line) throw new Error(`order line ${l.order_line_id} of return ${r.number} vanished`);
    const accepted = n.resellable + n.damaged;
    const value = returnedUnitsValue({ quantity: line.quantity, totalMinor: line.total_minor }, acceptedBefore(facts, line.id, r.id), accepted);
    await updateReturnLine(c.tx, l.id, { resellable_quantity: n.resellable, damaged_quantity: n.damaged, missing_quantity: n.missing, value_minor: value });
    if (accepted > 0) arriving.push({ sku: l.sku, locationId: r.location_id, onHandDelta: accepted, reservedDelta: 0, source: l.id });
    if (n.damaged > 0) setAside.push({ sku: l.sku, locationId: r.location_id, onHandDelta: -n.damaged, reservedDelta: 0, source: l.id });
  }
  await moveStock(c.tx, arriving, 'return', c.actor, r.number);
  await moveStock(c.tx, setAside, 'damaged', c.actor, r.number);
  await addDamaged(c.tx, setAside.map((m) => ({ sku: m.sku, locationId: m.locationId, quantity: -m.onHandDelta })), c.now);

  const ret = await updateReturn(c.tx, r.id, { status: 'received' satisfies ReturnStatus, received_at: c.now, updated_at: c.now, ...(note ? { note } : {}) });
  const lines: ReturnLineRow[] = await linesOfReturns(c.tx, [r.id]);
  c.current = { ret, lines };
  await appendTimeline(c.tx, [
    returnEntry(
      r.order_id,
      c.now,
      c.actor.id,
      'return.received',
      ret,
      { locationId: r.location_id, lines: lines.map((l) => ({ lineId: l.order_line_id, sku: l.sku, resellable: l.resellable_quantity, damaged: l.damaged_quantity, missing: l.missing_quantity, valueMinor: Number(l.value_minor) })) },
      { from: r.status, to: 'received' },
    ),
  ]);
  await appendEvents(c.tx, [returnEvent('return.received', c.current, c.order.order.number)]);
}
