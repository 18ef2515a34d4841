import type { EmailMessage } from './mail-transport.js';

/** The message as nodemailer's MailComposer builds it, every line ended by `newline`. */
export function mimeMessage(mail: EmailMessage, from: string, newline: '\n' | '\r\n'): Promise<Buffer>;

/** The message built without the composer, or undefined when it carries something only the composer handles. */
export function leanMimeMessage(mail: EmailMessage, from: string, newline: '\n' | '\r\n'): Buffer | undefined;
