import type { NodemailerError } from 'nodemailer/lib/errors';
import { DeliveryError, type SendReceipt } from './delivery-error.js';
import { MailThread, type BatchSent } from './mail-thread.js';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Stable per notification, `<...@domain>`: a copy sent twice after a crash carries the same id. */
  messageId: string;
}

export interface EmailTransport {
  readonly provider: string;
  send(mail: EmailMessage, signal?: AbortSignal): Promise<SendReceipt>;
  /** The messages sent in order, up to the first the provider refuses (the rest are not tried). */
  sendBatch(mails: readonly EmailMessage[], signal?: AbortSignal): Promise<BatchReceipts>;
  close(): Promise<void>;
}

/** What a batch came to: a receipt per message sent, in order, and why the next one failed, if one did. */
export interface BatchReceipts {
  receipts: SendReceipt[];
  failure?: DeliveryError;
}

// Bounded waits, so a silent server fails a send (and it is retried) long before the send lease ends.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

// Replies to RCPT TO that say the mailbox does not exist (RFC 5321 550, 551, 553).
const NO_SUCH_MAILBOX = new Set([550, 551, 553]);

/**
 * Sends through an SMTP server (SMTP_URL) over pooled connections: the handshake (greeting, EHLO) is paid
 * once, not per message, and a dropped connection is reopened for the next message. The messages are built
 * and sent in the transport's thread (see `MailThread`).
 */
export function smtpTransport(url: string, from: string): EmailTransport {
  const thread = new MailThread({ kind: 'smtp', from, options: { url, pool: true, maxConnections: 2, ...SMTP_TIMEOUTS } });
  return threadTransport('smtp', thread, (err) => classifySmtpError(err as NodemailerError));
}

export function classifySmtpError(err: NodemailerError): DeliveryError {
  const text = [err.code, err.response ?? err.message].filter(Boolean).join(' ');
  if (err.permanent !== true) return new DeliveryError(text, 'transient');
  const recipientRefused = err.command?.startsWith('RCPT') === true || (err.rejected?.length ?? 0) > 0;
  const code = err.rejectedErrors?.[0]?.responseCode ?? err.responseCode ?? 0;
  return new DeliveryError(text, recipientRefused && NO_SUCH_MAILBOX.has(code) ? 'invalid_recipient' : 'permanent');
}

/**
 * Without an SMTP server (embedded demo), each e-mail is written as an .eml file under `dir`: nothing is
 * lost, any mail client opens it, and the notification is recorded with provider 'eml-file', never as sent by
 * SMTP. The messages are built and written in the transport's thread (see `MailThread`).
 */
export function emlFileTransport(dir: string, from: string): EmailTransport {
  // A file that cannot be written (disk full, permissions) is worth trying again later.
  return threadTransport('eml-file', new MailThread({ kind: 'eml', dir, from }), (err) => new DeliveryError(String((err as Error)?.message ?? err), 'transient'));
}

/** A transport whose messages the mail thread builds and sends; `classify` says what a failure means. */
function threadTransport(provider: string, thread: MailThread, classify: (err: unknown) => DeliveryError): EmailTransport {
  const receipt = (sent: { messageId: string; response: string }): SendReceipt => ({ provider, providerMessageId: sent.messageId, response: sent.response });
  const sendBatch = async (mails: readonly EmailMessage[], signal?: AbortSignal): Promise<BatchReceipts> => {
    let batch: BatchSent;
    try {
      batch = await thread.sendBatch(mails, signal);
    } catch (err) {
      // Aborted before the hand-off, or the thread itself failed (crashed, closed): none is known to be sent.
      return { receipts: [], failure: classify(err) };
    }
    return { receipts: batch.sent.map(receipt), ...(batch.error ? { failure: classify(batch.error) } : {}) };
  };
  return {
    provider,
    async send(mail, signal) {
      const { receipts, failure } = await sendBatch([mail], signal);
      if (failure) throw failure;
      return receipts[0]!;
    },
    sendBatch,
    close: () => thread.close(),
  };
}
