import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { emlFileTransport, smtpTransport, type EmailMessage } from './mail-transport.js';

const message = (id: string): EmailMessage => ({
  to: 'alice.martin@example.fr',
  subject: `Commande ${id}`,
  text: `Merci pour la commande ${id}.`,
  html: `<p>Merci pour la commande ${id}.</p>`,
  headers: {},
  messageId: `<${id}.email@maison.example>`,
});

describe('emlFileTransport', () => {
  const roots: string[] = [];
  const tempRoot = () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ordo-eml-'));
    roots.push(root);
    return root;
  };
  afterEach(() => {
    for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });

  it('makes its directory when missing, again when it was removed since, and writes every message', async () => {
    const dir = path.join(tempRoot(), 'data', 'mail');
    const transport = emlFileTransport(dir, 'Maison <commandes@maison.example>');
    const first = await transport.send(message('a1'));
    expect(first).toMatchObject({ provider: 'eml-file', response: `written to ${path.join(dir, 'a1.email@maison.example.eml')}` });
    await transport.send(message('a2'));
    fs.rmSync(dir, { recursive: true });
    await transport.send(message('a3'));
    expect(fs.readdirSync(dir)).toEqual(['a3.email@maison.example.eml']);
    expect(fs.readFileSync(path.join(dir, 'a3.email@maison.example.eml'), 'utf8')).toContain('Subject: Commande a3');
  });

  it('fails a send it cannot write (the directory is a file), so the notification is retried', async () => {
    const dir = path.join(tempRoot(), 'mail');
    fs.writeFileSync(dir, 'not a directory');
    const transport = emlFileTransport(dir, 'Maison <commandes@maison.example>');
    await expect(transport.send(message('b1'))).rejects.toMatchObject({ name: 'DeliveryError', kind: 'transient', message: expect.stringContaining('ENOTDIR') });
  });

  it('writes a batch in order and stops at the first message it cannot write, leaving the rest untried', async () => {
    const dir = tempRoot();
    // The third message's file name is taken by a directory.
    fs.mkdirSync(path.join(dir, 'c3.email@maison.example.eml'));
    const transport = emlFileTransport(dir, 'Maison <commandes@maison.example>');
    const { receipts, failure } = await transport.sendBatch(['c1', 'c2', 'c3', 'c4'].map(message));
    expect(receipts.map((r) => r.providerMessageId)).toEqual(['<c1.email@maison.example>', '<c2.email@maison.example>']);
    expect(failure).toMatchObject({ kind: 'transient', message: expect.stringContaining('EISDIR') });
    expect(fs.readdirSync(dir).sort()).toEqual(['c1.email@maison.example.eml', 'c2.email@maison.example.eml', 'c3.email@maison.example.eml']);
    expect(await transport.sendBatch([message('c5')])).toEqual({ receipts: [expect.objectContaining({ providerMessageId: '<c5.email@maison.example>' })] });
    await transport.close();
  });

  it("writes the message nodemailer's stream transport builds (accents, headers, both parts), boundaries and Date aside", async () => {
    const dir = tempRoot();
    const mail = { ...message('c1'), subject: 'Votre commande a été expédiée', text: 'Bonjour Zoë,\nà bientôt', html: '<p>Bonjour Zoë, à bientôt</p>', headers: { 'List-Unsubscribe': '<https://maison.example/u?t=1>' } };
    const from = 'Maison <commandes@maison.example>';
    const receipt = await emlFileTransport(dir, from).send(mail);
    const expected = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }).sendMail({ from, ...mail });
    const comparable = (eml: string) => eml.replace(/_NmP-[0-9a-f]+-Part/g, '_NmP-x-Part').replace(/^Date: .*$/m, 'Date: x');
    const written = fs.readFileSync(path.join(dir, 'c1.email@maison.example.eml'), 'utf8');
    expect(comparable(written)).toBe(comparable((expected.message as Buffer).toString('utf8')));
    expect(written).toContain('Subject: =?UTF-8?Q?Votre_commande_a_=C3=A9t=C3=A9');
    expect(receipt.providerMessageId).toBe('<c1.email@maison.example>');
  });

  it('answers messages sent together each by its own id, and starts a thread again after close', async () => {
    const dir = tempRoot();
    const transport = emlFileTransport(dir, 'Maison <commandes@maison.example>');
    const receipts = await Promise.all(['d1', 'd2', 'd3', 'd4'].map((id) => transport.send(message(id))));
    expect(receipts.map((r) => r.providerMessageId)).toEqual(['<d1.email@maison.example>', '<d2.email@maison.example>', '<d3.email@maison.example>', '<d4.email@maison.example>']);
    await transport.close();
    await transport.send(message('d5'));
    expect(fs.readdirSync(dir).sort()).toEqual(['d1', 'd2', 'd3', 'd4', 'd5'].map((id) => `${id}.email@maison.example.eml`));
    expect(fs.readFileSync(path.join(dir, 'd3.email@maison.example.eml'), 'utf8')).toContain('Subject: Commande d3');
    await transport.close();
  });
});

describe('smtpTransport', () => {
  it('stops a send when its signal aborts (the dispatcher lost its lease), not at the greeting timeout', async () => {
    // A server that accepts the connection and never greets.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`, 'Maison <commandes@maison.example>');
    try {
      const controller = new AbortController();
      const started = Date.now();
      const sending = transport.send(message('e1'), controller.signal);
      setTimeout(() => controller.abort(), 200);
      await expect(sending).rejects.toMatchObject({ name: 'DeliveryError' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await transport.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
