import type { NodemailerError } from 'nodemailer/lib/errors';
import { DeliveryError, type SendReceipt } from './delivery-error.js';
import { MailThread } from './mail-thread.js';

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
  close(): Promise<void>;
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
  return {
    provider: 'smtp',
    async send(mail, signal) {
      try {
        const sent = await thread.send(mail, signal);
        return { provider: 'smtp', providerMessageId: sent.messageId, response: sent.response };
      } catch (err) {
        throw classifySmtpError(err as NodemailerError);
      }
    },
    close: () => thread.close(),
  };
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
  const thread = new MailThread({ kind: 'eml', dir, from });
  return {
    provider: 'eml-file',
    async send(mail) {
      const sent = await thread.send(mail);
      return { provider: 'eml-file', providerMessageId: sent.messageId, response: sent.response };
    },
    close: () => thread.close(),
  };
}
