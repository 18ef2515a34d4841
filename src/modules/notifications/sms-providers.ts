import fs from 'node:fs/promises';
import path from 'node:path';
import { DeliveryError, type SendReceipt } from './delivery-error.js';

/**
 * Sends one SMS. `reference` is stable per notification: a provider that dedupes on it turns a resend
 * after a crash into a no-op. Rejects with a DeliveryError saying whether to retry.
 */
export interface SmsProvider {
  readonly provider: string;
  send(to: string, text: string, opts: { reference: string; signal?: AbortSignal }): Promise<SendReceipt>;
}

const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Hands SMS to an HTTP gateway (ORDO_SMS_WEBHOOK_URL): `POST { to, text, reference }` as JSON, with
 * `Idempotency-Key: <reference>` and the configured bearer token. A 2xx is accepted (the message id is the
 * reply's `id` or `messageId`, else the reference); 408, 429, 5xx and network errors are retried; any
 * other 4xx means the request itself is refused and is not.
 */
export function webhookSmsProvider(url: string, token?: string): SmsProvider {
  return {
    provider: 'sms-webhook',
    async send(to, text, { reference, signal }) {
      const timeout = AbortSignal.timeout(WEBHOOK_TIMEOUT_MS);
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': reference,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({ to, text, reference }),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (err) {
        throw new DeliveryError(`SMS webhook unreachable: ${(err as Error).message}`, 'transient');
      }
      const body = await res.text().catch(() => '');
      if (!res.ok) {
        const retry = res.status === 408 || res.status === 429 || res.status >= 500;
        throw new DeliveryError(`SMS webhook answered ${res.status}: ${body.slice(0, 300)}`, retry ? 'transient' : 'permanent');
      }
      return { provider: 'sms-webhook', providerMessageId: messageIdOf(body) ?? reference, response: `HTTP ${res.status}` };
    },
  };
}

function messageIdOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { id?: unknown; messageId?: unknown };
    const id = parsed.messageId ?? parsed.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Without a gateway (embedded demo), SMS are appended to a JSON-lines file so the demo shows them. They
 * are recorded with provider 'sms-file': nobody's phone received them, and the record says so.
 */
export function fileSmsProvider(file: string): SmsProvider {
  return {
    provider: 'sms-file',
    async send(to, text, { reference }) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.appendFile(file, `${JSON.stringify({ to, text, reference, recordedAt: new Date().toISOString() })}\n`);
      return { provider: 'sms-file', providerMessageId: reference, response: `recorded in ${file}` };
    },
  };
}
