import { html, safeHttpUrl } from './html.js';

/**
 * What a customer message says, independent of its format: templates fill it in one language, and the
 * layout turns it into the HTML and plain-text parts of an e-mail. All strings are plain text.
 */
export interface MessageDoc {
  subject: string;
  /** One-line summary shown by mail clients after the subject. */
  preheader: string;
  greeting: string;
  paragraphs: string[];
  /** The one thing to remember (pickup code, new delivery date). */
  highlight?: { label: string; value: string };
  facts: Array<{ label: string; value: string }>;
  action?: { label: string; url: string };
  /** The order's page on the retailer's tracking site (a signed link). */
  orderLink?: { label: string; url: string };
  items?: { heading: string; rows: Array<{ name: string; quantity: string; amount?: string }> };
  totals?: Array<{ label: string; value: string; strong?: boolean }>;
  closing: string[];
  signoff: string[];
  footer: string[];
  unsubscribe?: { label: string; url: string };
}

export interface EmailParts {
  subject: string;
  text: string;
  html: string;
}

export function layoutEmail(doc: MessageDoc, lang: string): EmailParts {
  return { subject: doc.subject, text: plainText(doc, colon(lang)), html: htmlPart(doc, lang) };
}

function plainText(doc: MessageDoc, sep: string): string {
  const blocks: string[] = [doc.greeting, ...doc.paragraphs];
  if (doc.highlight) blocks.push(`${doc.highlight.label}${sep}${doc.highlight.value}`);
  if (doc.facts.length > 0) blocks.push(doc.facts.map((f) => `${f.label}${sep}${f.value}`).join('\n'));
  if (doc.action) blocks.push(`${doc.action.label}${sep}${doc.action.url}`);
  if (doc.orderLink) blocks.push(`${doc.orderLink.label}${sep}${doc.orderLink.url}`);
  if (doc.items) {
    const rows = doc.items.rows.map((r) => `- ${r.quantity} × ${r.name}${r.amount ? `  ${r.amount}` : ''}`);
    blocks.push([doc.items.heading, ...rows].join('\n'));
  }
  if (doc.totals) blocks.push(doc.totals.map((t) => `${t.label}${sep}${t.value}`).join('\n'));
  blocks.push(...doc.closing, doc.signoff.join('\n'));
  const footer = [...doc.footer];
  if (doc.unsubscribe) footer.push(`${doc.unsubscribe.label}${sep}${doc.unsubscribe.url}`);
  blocks.push(`--\n${footer.join('\n')}`);
  return `${blocks.join('\n\n')}\n`;
}

/** French typography puts a (non-breaking) space before a colon; English does not. */
const colon = (lang: string): string => (lang === 'fr' ? '\u00a0: ' : ': ');

const STYLE = {
  body: 'margin:0;padding:0;background:#f4f4f5;font-family:Helvetica,Arial,sans-serif;color:#18181b;',
  card: 'max-width:560px;margin:0 auto;background:#ffffff;padding:32px;border-radius:8px;',
  highlight: 'margin:24px 0;padding:16px;background:#f4f4f5;border-radius:6px;text-align:center;',
  code: 'display:block;font-size:28px;font-weight:bold;letter-spacing:4px;margin-top:4px;',
  button: 'display:inline-block;padding:12px 20px;background:#18181b;color:#ffffff;text-decoration:none;border-radius:6px;',
  secondaryButton: 'display:inline-block;padding:11px 19px;border:1px solid #18181b;color:#18181b;text-decoration:none;border-radius:6px;',
  cell: 'padding:6px 0;border-bottom:1px solid #e4e4e7;',
  footer: 'max-width:560px;margin:16px auto;font-size:12px;color:#71717a;text-align:center;',
};

function htmlPart(doc: MessageDoc, lang: string): string {
  const actionUrl = safeHttpUrl(doc.action?.url);
  const orderUrl = safeHttpUrl(doc.orderLink?.url);
  const unsubscribeUrl = safeHttpUrl(doc.unsubscribe?.url);
  const page = html`<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${doc.subject}</title></head>
<body style="${STYLE.body}">
<div style="display:none;max-height:0;overflow:hidden">${doc.preheader}</div>
<div style="${STYLE.card}">
<p>${doc.greeting}</p>
${doc.paragraphs.map((p) => html`<p>${p}</p>\n`)}${
    doc.highlight &&
    html`<div style="${STYLE.highlight}">${doc.highlight.label}<strong style="${STYLE.code}">${doc.highlight.value}</strong></div>\n`
  }${
    doc.facts.length > 0 &&
    html`<table role="presentation" width="100%" cellspacing="0">${doc.facts.map(
      (f) => html`<tr><td style="${STYLE.cell}color:#71717a;">${f.label}</td><td style="${STYLE.cell}text-align:right;">${f.value}</td></tr>`,
    )}</table>\n`
  }${
    doc.action &&
    (actionUrl
      ? html`<p style="margin:24px 0;"><a href="${actionUrl}" style="${STYLE.button}">${doc.action.label}</a></p>\n`
      : html`<p>${doc.action.label}${colon(lang)}${doc.action.url}</p>\n`)
  }${
    doc.orderLink &&
    orderUrl &&
    html`<p style="margin:24px 0;"><a href="${orderUrl}" style="${doc.action ? STYLE.secondaryButton : STYLE.button}">${doc.orderLink.label}</a></p>\n`
  }${
    doc.items &&
    html`<h3>${doc.items.heading}</h3><table role="presentation" width="100%" cellspacing="0">${doc.items.rows.map(
      (r) => html`<tr><td style="${STYLE.cell}">${r.quantity} × ${r.name}</td><td style="${STYLE.cell}text-align:right;">${r.amount ?? ''}</td></tr>`,
    )}</table>\n`
  }${
    doc.totals &&
    html`<table role="presentation" width="100%" cellspacing="0">${doc.totals.map((t) =>
      t.strong
        ? html`<tr><td style="${STYLE.cell}"><strong>${t.label}</strong></td><td style="${STYLE.cell}text-align:right;"><strong>${t.value}</strong></td></tr>`
        : html`<tr><td style="${STYLE.cell}">${t.label}</td><td style="${STYLE.cell}text-align:right;">${t.value}</td></tr>`,
    )}</table>\n`
  }${doc.closing.map((p) => html`<p>${p}</p>\n`)}<p>${doc.signoff.map((s, i) => (i === 0 ? html`${s}` : html`<br>${s}`))}</p>
</div>
<div style="${STYLE.footer}">${doc.footer.map((f) => html`<p>${f}</p>`)}${
    doc.unsubscribe && unsubscribeUrl && html`<p><a href="${unsubscribeUrl}" style="color:#71717a;">${doc.unsubscribe.label}</a></p>`
  }</div>
</body>
</html>
`;
  return page.value;
}
