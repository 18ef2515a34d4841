import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { smtpTransport, type EmailMessage } from './mail-transport.js';
import { leanMimeMessage, mimeMessage } from './mime-message.mjs';

const FROM = 'Ordo <notifications@localhost>';
const UNSUBSCRIBE = {
  'List-Unsubscribe': '<http://localhost:3999/v1/notifications/unsubscribe?token=eyJjIjoiZW1haWwiLCJhIjoiYm9iQGV4YW1wbGUuY29tIiwibCI6ImZyIn0.uURy-wiHoaG0vCk6_rLEm0y2bZbngEQXbhcU3iL8_0c>',
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
};

const ascii: EmailMessage = {
  to: 'bob@example.com',
  subject: 'Your order ORD-2026-000001',
  text: 'Hello Bob,\n\nThanks for your order.\n',
  html: '<p>Hello Bob,</p>\n<p>Thanks for your order.</p>\n',
  headers: UNSUBSCRIBE,
  messageId: '<0001.email@localhost>',
};

const french: EmailMessage = {
  to: 'zoe@example.fr',
  subject: 'Votre commande a été expédiée\u00a0: l’équipe vous dit merci 🎉 (269,97\u00a0€)',
  text: 'Bonjour Zoë,\n\nNous l’avons bien reçue et nous la préparons.\nTotal\u00a0: 269,97\u00a0€ — à bientôt 👋\nŒuvre, çà et là, « guillemets »\n',
  html: '<!DOCTYPE html>\n<html lang="fr"><body><p>Bonjour Zoë,</p><p>Nous l’avons bien reçue.</p><p>Total&nbsp;: 269,97\u00a0€ — à bientôt 👋</p></body></html>\n',
  headers: UNSUBSCRIBE,
  messageId: '<0002.email@localhost>',
};

const longSubject: EmailMessage = {
  ...ascii,
  subject:
    'Confirmation de votre commande ORD-2026-000001 : 3 articles, livraison estimée jeudi 26 – vendredi 27 novembre, suivi en ligne et retours gratuits sous 30 jours',
  messageId: '<0003.email@localhost>',
};

const awkwardLines: EmailMessage = {
  ...ascii,
  text: [
    '.a line starting with a dot',
    '.',
    'From here on, a line starting with From',
    'x'.repeat(2_000),
    ('word '.repeat(400) + 'end').trim(),
    'trailing spaces   ',
    'tab\tinside and at the end\t',
    '..two dots',
  ].join('\n'),
  html: `<p>${'y'.repeat(1_500)}</p>\n.<br>\nFrom the shop\n${'é'.repeat(600)}\n`,
  messageId: '<0004.email@localhost>',
};

const names: Array<{ label: string; from: string; to: string; fromName: string; toName: string }> = [
  { label: 'accents', from: 'Élodie Café <commandes@maison.example>', to: 'Zoë Brontë <zoe@example.fr>', fromName: 'Élodie Café', toName: 'Zoë Brontë' },
  {
    label: 'a comma and quotes',
    from: '"Maison, \\"Paris\\" & Cie" <commandes@maison.example>',
    to: '"Dupont, Jean" <jean.dupont@example.fr>',
    fromName: 'Maison, "Paris" & Cie',
    toName: 'Dupont, Jean',
  },
];

const NEWLINES = [
  ['LF (.eml)', '\n'],
  ['CRLF (SMTP)', '\r\n'],
] as const;

function lean(mail: EmailMessage, from: string, newline: '\n' | '\r\n'): Buffer {
  const built = leanMimeMessage(mail, from, newline);
  if (!built) throw new Error('the lean builder declined the message');
  return built;
}

const composed = (mail: EmailMessage, from: string, newline: '\n' | '\r\n'): Promise<Buffer> =>
  new MailComposer({ from, ...mail, newline: newline === '\n' ? 'unix' : 'windows' }).compile().build();

const first = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value;

/** A header as written (folds undone), from mailparser's raw header lines. */
const rawHeader = (parsed: ParsedMail, key: string) =>
  parsed.headerLines
    .filter((h) => h.key === key)
    .map((h) => h.line.replace(/\r?\n(?=[ \t])/g, '').replace(/^[^:]*:\s*/, ''));

/** Every line of the message with its line ending, and the bodies of its quoted-printable parts. */
function lines(message: Buffer): string[] {
  return message.toString('latin1').split(/(?<=\n)/);
}

function checkLines(message: Buffer, newline: '\n' | '\r\n'): void {
  const all = lines(message);
  expect(all.length).toBeGreaterThan(10);
  const boundary = /boundary="([^"]+)"/.exec(message.toString('latin1'))![1]!;
  let inQp = false;
  let inBody = false;
  for (const line of all) {
    expect(line.endsWith(newline), JSON.stringify(line)).toBe(true);
    const content = line.slice(0, -newline.length);
    expect(content).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(content), content.slice(0, 40)).toBeLessThanOrEqual(998);
    expect(content).toMatch(/^[\x20-\x7e\t]*$/);
    if (content.startsWith(`--${boundary}`)) {
      inQp = false;
      inBody = false;
    } else if (content === 'Content-Transfer-Encoding: quoted-printable') inQp = true;
    else if (content === '' && inQp) inBody = true;
    else if (inQp && inBody) expect(content.length, content).toBeLessThanOrEqual(76);
  }
}

async function checkMessage(mail: EmailMessage, from: string, newline: '\n' | '\r\n', fromName: string, toName: string) {
  const before = Math.floor(Date.now() / 1000) * 1000;
  const message = lean(mail, from, newline);
  const after = Date.now();
  checkLines(message, newline);
  const parsed = await simpleParser(message);
  expect(parsed.subject).toBe(mail.subject);
  expect(first(parsed.from)).toEqual([{ address: /<([^>]+)>$/.exec(from)?.[1] ?? from, name: fromName }]);
  expect(first(parsed.to)).toEqual([{ address: /<([^>]+)>$/.exec(mail.to)?.[1] ?? mail.to, name: toName }]);
  expect(parsed.messageId).toBe(mail.messageId);
  expect(parsed.date!.getTime()).toBeGreaterThanOrEqual(before);
  expect(parsed.date!.getTime()).toBeLessThanOrEqual(after);
  expect(message.toString('latin1')).toMatch(/^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000\r?$/m);
  expect(message.toString('latin1')).toMatch(/^MIME-Version: 1\.0\r?$/m);
  for (const [key, value] of Object.entries(mail.headers)) expect(rawHeader(parsed, key.toLowerCase())).toEqual([value]);
  // mailparser gives text line breaks as LF whatever the message's newline.
  expect(parsed.text).toBe(mail.text);
  expect(parsed.html).toBe(mail.html);
  const parts = message.toString('latin1').match(/^Content-Type: text\/(plain|html); charset=utf-8\r?$/gm);
  expect(parts?.map((p) => p.trim())).toEqual(['Content-Type: text/plain; charset=utf-8', 'Content-Type: text/html; charset=utf-8']);
  return { message, parsed };
}

describe('leanMimeMessage', () => {
  for (const [label, newline] of NEWLINES) {
    describe(`ended by ${label}`, () => {
      it('builds a plain ASCII message (7bit parts)', async () => {
        const { message } = await checkMessage(ascii, FROM, newline, 'Ordo', '');
        const text = message.toString('latin1');
        expect(text).toContain(`From: Ordo <notifications@localhost>${newline}To: bob@example.com${newline}Subject: Your order ORD-2026-000001${newline}`);
        expect(text.match(/^Content-Transfer-Encoding: 7bit\r?$/gm)).toHaveLength(2);
        expect(text).toMatch(/^Content-Type: multipart\/alternative;\r?\n boundary="--_NmP-[0-9a-f]{16}-Part_1"\r?$/m);
      });

      it('encodes non-ASCII subject, text and html (accents, €, emoji, non-breaking spaces, typographic apostrophes)', async () => {
        const { message } = await checkMessage(french, FROM, newline, 'Ordo', '');
        const text = message.toString('latin1');
        expect(text).toContain('Subject: =?UTF-8?Q?Votre_commande_a_=C3=A9t=C3=A9');
        expect(text.match(/^Content-Transfer-Encoding: quoted-printable\r?$/gm)).toHaveLength(2);
      });

      it('folds a long subject at 76 columns', async () => {
        const { message } = await checkMessage(longSubject, FROM, newline, 'Ordo', '');
        const subject = /^Subject: .*\r?\n(?:[ \t].*\r?\n)*/m.exec(message.toString('latin1'))![0];
        const folded = subject.split(newline).filter(Boolean);
        expect(folded.length).toBeGreaterThan(2);
        for (const line of folded) expect(line.length).toBeLessThanOrEqual(76);
      });

      it('keeps long lines and lines starting with "." or "From " intact', async () => {
        await checkMessage(awkwardLines, FROM, newline, 'Ordo', '');
      });

      for (const { label: nameLabel, from, to, fromName, toName } of names) {
        it(`quotes or encodes display names with ${nameLabel} in From and To`, async () => {
          await checkMessage({ ...french, to }, from, newline, fromName, toName);
        });
      }
    });
  }

  it('declines what only the composer handles, which mimeMessage then builds with it', async () => {
    const declined: Array<[EmailMessage, string]> = [
      [{ ...ascii, to: 'bob@example.com, alice@example.com' }, FROM],
      [{ ...ascii, to: 'Team: bob@example.com;' }, FROM],
      [{ ...ascii, to: 'zoë@example.fr' }, FROM],
      [{ ...ascii, to: 'bob@[127.0.0.1]' }, FROM],
      [{ ...ascii, headers: { ...UNSUBSCRIBE, Subject: 'other' } }, FROM],
      [{ ...ascii, headers: { 'content-type': 'text/plain' } }, FROM],
      [{ ...ascii, headers: { 'X-Count': 3 as unknown as string } }, FROM],
      [{ ...ascii, text: '' }, FROM],
      [{ ...ascii, cc: 'alice@example.com' } as EmailMessage, FROM],
      [ascii, 'Ordo <notifications@localhost>, Other <other@localhost>'],
    ];
    for (const [mail, from] of declined) expect(leanMimeMessage(mail, from, '\n'), JSON.stringify(mail)).toBeUndefined();
    const parsed = await simpleParser(await mimeMessage(declined[0]![0], FROM, '\n'));
    expect(first(parsed.to)?.map((a) => a.address)).toEqual(['bob@example.com', 'alice@example.com']);
    expect(parsed.text).toBe(ascii.text);
  });
});

describe("leanMimeMessage against nodemailer's MailComposer", () => {
  const comparable = (message: Buffer) =>
    message
      .toString('latin1')
      .replace(/_NmP-[0-9a-f]{16}-Part/g, '_NmP-x-Part')
      .replace(/^Date: .*$/m, 'Date: x');

  const fixtures: Array<[string, EmailMessage, string]> = [
    ['plain ASCII', ascii, FROM],
    ['French', french, FROM],
    ['long subject', longSubject, FROM],
    ['awkward lines', awkwardLines, FROM],
    ...names.map(({ label, from, to }): [string, EmailMessage, string] => [label, { ...french, to }, from]),
    ['mostly non-Latin (base64 parts)', { ...french, subject: 'Заказ 📦📦📦 отправлен', text: 'Ваш заказ отправлен 📦\n'.repeat(20), html: '<p>注文は発送されました</p>\n' }, FROM],
    ['custom header with non-ASCII, an empty one, unusual key case', { ...ascii, headers: { 'x-shop-name': 'Maison Été', 'X-Empty': ' ', 'list-id': 'Commandes <orders.maison.example>' } }, FROM],
    ['uppercase domain, bare addresses', { ...ascii, to: 'Bob@Example.COM' }, 'notifications@LOCALHOST'],
    ['CR and CRLF inside the bodies', { ...french, text: 'a\r\nb\rc\n\r\n', html: 'é\r\n\r\n  ' }, FROM],
  ];

  for (const [label, newline] of NEWLINES) {
    for (const [name, mail, from] of fixtures) {
      it(`${name}, ${label}: the same bytes (boundary and Date aside), parsed the same`, async () => {
        const mine = lean(mail, from, newline);
        const theirs = await composed(mail, from, newline);
        expect(comparable(mine)).toBe(comparable(theirs));
        const [a, b] = await Promise.all([simpleParser(mine), simpleParser(theirs)]);
        expect({ subject: a.subject, from: a.from?.value, to: first(a.to), messageId: a.messageId, text: a.text, html: a.html }).toEqual({
          subject: b.subject,
          from: b.from?.value,
          to: first(b.to),
          messageId: b.messageId,
          text: b.text,
          html: b.html,
        });
        const headers = (p: ParsedMail) => p.headerLines.filter((h) => !['date', 'content-type'].includes(h.key)).map((h) => h.line);
        expect(headers(a)).toEqual(headers(b));
      });
    }
  }

  it('the same bytes for 600 generated messages (whitespace at line ends, escapes, surrogates, controls, lookalike encoded words)', async () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = ['a', 'Z', ' ', ' ', '\t', '\n', '\r\n', '\r', 'é', '€', '😀', '\u00a0', '’', '=', '.', '-', '?', '"', 'x'.repeat(90), '=?utf-8?q?x?=', 'ж', '\u0001', 'From '];
    const text = (max: number) => Array.from({ length: Math.floor(random() * max) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (let i = 0; i < 600; i++) {
      const name = text(20).replace(/[\r\n<>@,;:"\\]/g, '');
      const mail: EmailMessage = {
        to: random() < 0.5 ? 'bob@example.com' : `"${name}" <bob@example.com>`,
        subject: text(120) || 's',
        text: text(400) || 't',
        html: text(600) || 'h',
        headers: { 'List-Unsubscribe': text(80) },
        messageId: `<${i}.email@localhost>`,
      };
      const from = random() < 0.5 ? FROM : `"${text(30).replace(/[\r\n\\"]/g, '')}" <notifications@localhost>`;
      const newline = random() < 0.5 ? '\n' : '\r\n';
      expect(comparable(lean(mail, from, newline)), JSON.stringify({ mail, from, newline })).toBe(comparable(await composed(mail, from, newline)));
    }
  });
});

describe('the SMTP path', () => {
  it('sends the built message as is, with the envelope of From and To and the caller’s Message-ID', async () => {
    const received: Array<{ from: string; to: string[]; data: Buffer }> = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const from = session.envelope.mailFrom;
          received.push({ from: from ? from.address : '', to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`, names[1]!.from);
    try {
      const mail = { ...awkwardLines, to: names[0]!.to };
      const receipt = await transport.send(mail);
      expect(receipt.providerMessageId).toBe(mail.messageId);
      expect(received).toHaveLength(1);
      expect(received[0]!.from).toBe('commandes@maison.example');
      expect(received[0]!.to).toEqual(['zoe@example.fr']);
      // Dot-stuffing undone by the server: the bytes are the CRLF message as built.
      const comparable = (m: Buffer) => m.toString('latin1').replace(/_NmP-[0-9a-f]{16}-Part/g, '_NmP-x-Part').replace(/^Date: .*$/m, 'Date: x');
      expect(comparable(received[0]!.data)).toBe(comparable(lean(mail, names[1]!.from, '\r\n')));
      const parsed = await simpleParser(received[0]!.data);
      expect(parsed.messageId).toBe(mail.messageId);
      expect(parsed.text).toBe(mail.text);
      expect(parsed.html).toBe(mail.html);
    } finally {
      await transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
