import crypto from 'node:crypto';
import { ok, type Result } from '../../domain/shared/result.js';

/**
 * A payment service provider as Ordo drives it. Ordo records every operation and its amounts
 * (src/domain/payments/payment-state.ts refuses what the amounts do not allow before the provider is
 * called); the provider only says whether it accepted the operation and under which reference.
 *
 * Calls to a provider are outside the database: when the command's transaction fails after a provider
 * accepted an authorisation, the caller voids it (explicit compensation, see place-order.ts).
 */
export interface PaymentProvider {
  readonly id: string;
  authorise(req: { amountMinor: number; currency: string; reference?: string; orderNumber: string }): Promise<Result<{ providerReference: string }>>;
  capture(req: PaymentOperationRequest): Promise<Result<{ providerReference: string }>>;
  void(req: PaymentOperationRequest): Promise<Result<{ providerReference: string }>>;
  refund(req: PaymentOperationRequest): Promise<Result<{ providerReference: string }>>;
}

export interface PaymentOperationRequest {
  /** The authorisation's reference. */
  authorisationReference: string;
  amountMinor: number;
  currency: string;
}

export type PaymentProviders = ReadonlyMap<string, PaymentProvider>;

/**
 * `manual`: money taken outside Ordo (cash or card at the counter, bank transfer, collected by the
 * marketplace). It accepts every operation the recorded amounts allow; the authorisation keeps the
 * reference the client gave (till receipt, transfer id), the others get a fresh one.
 */
export const manualProvider: PaymentProvider = {
  id: 'manual',
  authorise: async (req) => ok({ providerReference: req.reference ?? `manual-${crypto.randomUUID()}` }),
  capture: async () => ok({ providerReference: `manual-capture-${crypto.randomUUID()}` }),
  void: async () => ok({ providerReference: `manual-void-${crypto.randomUUID()}` }),
  refund: async () => ok({ providerReference: `manual-refund-${crypto.randomUUID()}` }),
};

export function defaultPaymentProviders(): PaymentProviders {
  return new Map([[manualProvider.id, manualProvider]]);
}
