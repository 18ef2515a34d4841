import type { Selectable } from 'kysely';
import { insertNowOrLater, type StatementBatch } from '../../db/statement-batch.js';
import type { DbOrTx, Tx } from '../../db/database.js';
import type { PaymentTable } from '../../db/schema.js';
import type { PaymentAmounts, PaymentOperation, PaymentStatus } from '../../domain/payments/payment-state.js';
import { newRowId } from '../../db/row-id.js';

export type PaymentRow = Selectable<PaymentTable>;

export interface PaymentView extends PaymentAmounts {
  id: string;
  provider: string;
  reference: string;
  currency: string;
  status: string;
  createdAt: string;
  events: Array<{ operation: string; amountMinor: number; providerReference: string; reason: string | null; actor: string; occurredAt: string }>;
}

export const amountsOf = (r: PaymentRow): PaymentAmounts => ({
  authorisedMinor: r.authorised_minor,
  capturedMinor: r.captured_minor,
  voidedMinor: r.voided_minor,
  refundedMinor: r.refunded_minor,
});

/**
 * Records a payment. With a `batch` (a new order's first write: nothing reads the row back before the
 * batch runs), the id is made here, the insert waits for the batch and the row is answered as stored.
 */
export async function insertPayment(
  tx: Tx,
  p: { orderId: string; provider: string; reference: string; currency: string; amounts: PaymentAmounts; status: PaymentStatus; at: Date },
  batch?: StatementBatch,
): Promise<PaymentRow> {
  const row = {
    order_id: p.orderId,
    provider: p.provider,
    reference: p.reference,
    currency: p.currency,
    authorised_minor: p.amounts.authorisedMinor,
    captured_minor: p.amounts.capturedMinor,
    voided_minor: p.amounts.voidedMinor,
    refunded_minor: p.amounts.refundedMinor,
    status: p.status,
    created_at: p.at,
    updated_at: p.at,
  };
  if (!batch) return tx.insertInto('payment').values(row).returningAll().executeTakeFirstOrThrow();
  const stored = { id: newRowId(), ...row };
  batch.insert('payment', [stored]);
  return stored;
}

/** New amounts of a locked payment (`payment` as read or as just batched); with a `batch`, as insertPayment. */
export async function updatePaymentAmounts(tx: Tx, payment: PaymentRow, amounts: PaymentAmounts, status: PaymentStatus, at: Date, batch?: StatementBatch): Promise<PaymentRow> {
  const set = { captured_minor: amounts.capturedMinor, voided_minor: amounts.voidedMinor, refunded_minor: amounts.refundedMinor, status, updated_at: at };
  const update = tx.updateTable('payment').set(set).where('id', '=', payment.id);
  if (!batch) return update.returningAll().executeTakeFirstOrThrow();
  batch.add(update);
  return { ...payment, ...set };
}

export async function insertPaymentEvent(
  tx: Tx,
  e: { paymentId: string; operation: PaymentOperation; amountMinor: number; providerReference: string; reason?: string; actor: string; at: Date },
  batch?: StatementBatch,
): Promise<void> {
  const row = {
    payment_id: e.paymentId,
    operation: e.operation,
    amount_minor: e.amountMinor,
    provider_reference: e.providerReference,
    reason: e.reason ?? null,
    actor: e.actor,
    occurred_at: e.at,
  };
  await insertNowOrLater(tx, 'payment_event', [row], batch);
}

/** An order's payments, locked in id order (cancellation settles them one by one). */
export async function lockOrderPayments(tx: Tx, orderId: string): Promise<PaymentRow[]> {
  return tx.selectFrom('payment').selectAll().where('order_id', '=', orderId).orderBy('id').forUpdate().execute();
}

export async function paymentViews(db: DbOrTx, orderIds: readonly string[]): Promise<Map<string, PaymentView[]>> {
  const byOrder = new Map<string, PaymentView[]>();
  if (orderIds.length === 0) return byOrder;
  const payments = await db.selectFrom('payment').selectAll().where('order_id', 'in', [...orderIds]).orderBy('created_at').orderBy('id').execute();
  if (payments.length === 0) return byOrder;
  const events = await db.selectFrom('payment_event').selectAll().where('payment_id', 'in', payments.map((p) => p.id)).orderBy('id').execute();
  for (const p of payments) {
    const view = toPaymentView(
      p,
      events
        .filter((e) => e.payment_id === p.id)
        .map((e) => ({
          operation: e.operation,
          amountMinor: e.amount_minor,
          providerReference: e.provider_reference,
          reason: e.reason,
          actor: e.actor,
          occurredAt: new Date(e.occurred_at).toISOString(),
        })),
    );
    byOrder.set(p.order_id, [...(byOrder.get(p.order_id) ?? []), view]);
  }
  return byOrder;
}

/** A payment as the order view shows it, from its row and its operations (oldest first). */
export function toPaymentView(p: PaymentRow, events: PaymentView['events']): PaymentView {
  return { id: p.id, provider: p.provider, reference: p.reference, currency: p.currency, status: p.status, ...amountsOf(p), createdAt: new Date(p.created_at).toISOString(), events };
}
