import type { Tx } from '../../db/database.js';
import type { StatementBatch } from '../../db/statement-batch.js';
import { applyOperation, NO_PAYMENT, paymentStatus, type PaymentAmounts } from '../../domain/payments/payment-state.js';
import type { Actor } from '../../domain/shared/actor.js';
import { BusinessError } from '../../domain/shared/result.js';
import type { PaymentProvider, PaymentProviders } from './payment-provider.js';
import { amountsOf, insertPayment, insertPaymentEvent, updatePaymentAmounts, type PaymentRow } from './payment.repository.js';

export function providerOf(providers: PaymentProviders, id: string): PaymentProvider {
  const provider = providers.get(id);
  if (!provider) throw new BusinessError('unknown_payment_provider', `no payment provider ${id}`, { provider: id, known: [...providers.keys()] });
  return provider;
}

/**
 * Authorises an order's payment with its provider and records it (payment row + operation) in the
 * caller's transaction. Returns the row and the provider's reference, which the caller voids if its
 * transaction then fails. Throws BusinessError when refused.
 */
export async function authorisePayment(
  tx: Tx,
  providers: PaymentProviders,
  req: { orderId: string; orderNumber: string; provider: string; reference?: string; amountMinor: number; currency: string },
  actor: Actor,
  at: Date,
  onAuthorised: (provider: PaymentProvider, reference: string) => void,
  batch?: StatementBatch,
): Promise<PaymentRow> {
  const provider = providerOf(providers, req.provider);
  const amounts = orThrow(applyOperation(NO_PAYMENT, 'authorise', req.amountMinor));
  const answer = await provider.authorise({ amountMinor: req.amountMinor, currency: req.currency, orderNumber: req.orderNumber, ...(req.reference ? { reference: req.reference } : {}) });
  if (!answer.ok) throw new BusinessError('payment_declined', answer.message, answer.details);
  onAuthorised(provider, answer.value.providerReference);
  const row = await insertPayment(tx, { orderId: req.orderId, provider: provider.id, reference: answer.value.providerReference, currency: req.currency, amounts, status: paymentStatus(amounts), at }, batch);
  await insertPaymentEvent(tx, { paymentId: row.id, operation: 'authorise', amountMinor: req.amountMinor, providerReference: answer.value.providerReference, actor: actor.id, at }, batch);
  return row;
}

/**
 * Captures, voids or refunds part of a locked payment: the recorded amounts must allow it (a refund
 * never exceeds what was captured), then the provider is asked, then the operation is recorded.
 * Returns the payment as updated and the provider's reference of the operation (a refund's id).
 */
export async function operatePayment(
  tx: Tx,
  providers: PaymentProviders,
  payment: PaymentRow,
  op: 'capture' | 'void' | 'refund',
  amountMinor: number,
  actor: Actor,
  at: Date,
  reason?: string,
  batch?: StatementBatch,
): Promise<{ payment: PaymentRow; providerReference: string }> {
  const next = orThrow(applyOperation(amountsOf(payment), op, amountMinor));
  const provider = providerOf(providers, payment.provider);
  const request = { authorisationReference: payment.reference, amountMinor, currency: payment.currency };
  const answer = await (op === 'capture' ? provider.capture(request) : op === 'void' ? provider.void(request) : provider.refund(request));
  if (!answer.ok) throw new BusinessError('payment_declined', answer.message, answer.details);
  const row = await updatePaymentAmounts(tx, payment, next, paymentStatus(next), at, batch);
  await insertPaymentEvent(tx, { paymentId: payment.id, operation: op, amountMinor, providerReference: answer.value.providerReference, actor: actor.id, at, ...(reason ? { reason } : {}) }, batch);
  return { payment: row, providerReference: answer.value.providerReference };
}

function orThrow(r: { ok: true; value: PaymentAmounts } | { ok: false; code: string; message: string; details?: unknown }): PaymentAmounts {
  if (!r.ok) throw BusinessError.of(r);
  return r.value;
}
