import { html } from './html.js';
import type { Language } from './locale.js';

const COPY: Record<Language, { title: string; question: (a: string) => string; done: (a: string) => string; still: string; confirm: string }> = {
  fr: {
    title: 'Notifications facultatives',
    question: (a) => `Ne plus envoyer de notifications facultatives à ${a} ?`,
    done: (a) => `C’est fait : ${a} ne recevra plus de notifications facultatives.`,
    still: 'Vous recevrez toujours les messages indispensables à vos commandes : confirmation, ticket de caisse, code de retrait, expédition, annulation et remboursement.',
    confirm: 'Me désabonner',
  },
  en: {
    title: 'Optional notifications',
    question: (a) => `Stop sending optional notifications to ${a}?`,
    done: (a) => `Done: ${a} will no longer receive optional notifications.`,
    still: 'You will still receive the messages your orders need: confirmation, receipt, pickup code, shipping, cancellation and refund.',
    confirm: 'Unsubscribe',
  },
};

/** "a•••@example.fr", "•••••••78": enough to recognise, not enough to learn from a forwarded link. */
export function maskAddress(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}•••${address.slice(at)}`;
  return `${'•'.repeat(Math.max(0, address.length - 2))}${address.slice(-2)}`;
}

/**
 * The page an unsubscribe link opens. Opening it changes nothing (mail scanners fetch links): it asks,
 * and its button POSTs to the same link, as a mail client's one-click unsubscribe does.
 */
export function unsubscribePage(language: Language, state: 'confirm' | 'done', address: string, brand: string): string {
  const t = COPY[language];
  const who = maskAddress(address);
  return html`<!DOCTYPE html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${brand} – ${t.title}</title></head>
<body style="font-family:Helvetica,Arial,sans-serif;max-width:480px;margin:48px auto;padding:0 16px;color:#18181b;">
<h1 style="font-size:20px;">${brand}</h1>
${
  state === 'confirm'
    ? html`<p>${t.question(who)}</p>
<form method="post"><button type="submit" style="padding:10px 18px;">${t.confirm}</button></form>`
    : html`<p>${t.done(who)}</p>`
}
<p style="color:#71717a;">${t.still}</p>
</body>
</html>
`.value;
}
