import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpTransport, type EmailMessage } from '../../src/modules/notifications/mail-transport.js';
import { SmtpSink } from './smtp-sink.js';

const message = (id: string, to = `${id}@example.fr`): EmailMessage => ({
  to,
  subject: `Commande ${id}`,
  text: `Merci pour la commande ${id}.`,
  html: `<p>Merci pour la commande ${id}.</p>`,
  headers: {},
  messageId: `<${id}.email@maison.example>`,
});

/** E-mails handed to the SMTP transport's thread as one batch (EmailTransport.sendBatch), against a real SMTP server. */
describe('a batch of e-mails through SMTP', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    sink.unknownMailboxes.add('nobody@example.fr');
  });
  afterAll(() => sink.stop());

  it('sends the messages in order, each with its own receipt and Message-ID', async () => {
    const transport = smtpTransport(sink.url, 'Maison <commandes@maison.example>');
    try {
      const { receipts, failure } = await transport.sendBatch(['m1', 'm2', 'm3'].map((id) => message(id)));
      expect(failure).toBeUndefined();
      expect(receipts.map((r) => r.provider)).toEqual(['smtp', 'smtp', 'smtp']);
      expect(receipts.every((r) => r.response?.startsWith('250'))).toBe(true);
      const got = ['m1', 'm2', 'm3'].map((id) => sink.to(`${id}@example.fr`));
      expect(got.map((m) => m.map((x) => x.messageId))).toEqual([['<m1.email@maison.example>'], ['<m2.email@maison.example>'], ['<m3.email@maison.example>']]);
    } finally {
      await transport.close();
    }
  });

  it('stops at a refused recipient: the ones before are sent, the refusal is classified, the ones after are not tried', async () => {
    const transport = smtpTransport(sink.url, 'Maison <commandes@maison.example>');
    try {
      const { receipts, failure } = await transport.sendBatch([message('n1'), message('n2', 'nobody@example.fr'), message('n3')]);
      expect(receipts).toHaveLength(1);
      expect(failure).toMatchObject({ name: 'DeliveryError', kind: 'invalid_recipient' });
      expect(sink.to('n1@example.fr')).toHaveLength(1);
      expect(sink.to('n3@example.fr')).toHaveLength(0);
    } finally {
      await transport.close();
    }
  });

  it('answers a batch sent while the server is down with a transient failure and nothing sent', async () => {
    const down = new SmtpSink();
    await down.start();
    const url = down.url;
    await down.stop();
    const transport = smtpTransport(url, 'Maison <commandes@maison.example>');
    try {
      const { receipts, failure } = await transport.sendBatch([message('o1'), message('o2')]);
      expect(receipts).toEqual([]);
      expect(failure).toMatchObject({ kind: 'transient' });
    } finally {
      await transport.close();
    }
  });
});
