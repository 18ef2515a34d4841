/**
 * How a provider refused a message, which decides what happens next:
 * - `transient`: the provider may accept it later (connection refused, timeout, 4xx reply): retried with backoff;
 * - `permanent`: this message will never be accepted (content refused, bad configuration of the request): failed;
 * - `invalid_recipient`: the address itself does not exist: failed, and the address is suppressed (hard bounce).
 */
export type DeliveryErrorKind = 'transient' | 'permanent' | 'invalid_recipient';

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly kind: DeliveryErrorKind,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** What a provider says when it accepted a message. */
export interface SendReceipt {
  /** Which provider took it: 'smtp', 'eml-file', 'sms-webhook', 'sms-file'. */
  provider: string;
  providerMessageId: string;
  /** The provider's reply (SMTP "250 ...", HTTP status, file written). */
  response?: string;
}
