import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { customers, samples } from './order-event-samples.js';
import { emit, notificationEnv, tempDataDir } from './support.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: { to: string; text: string; reference: string };
}

/** A real HTTP SMS gateway on loopback: answers each request with the next scripted status. */
class SmsGateway {
  readonly received: Received[] = [];
  readonly script: Array<{ status: number; body?: unknown }> = [];
  private readonly server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      this.received.push({ headers: req.headers, body: JSON.parse(raw) });
      const answer = this.script.shift() ?? { status: 200, body: { messageId: `gw-${this.received.length}` } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body ?? {}));
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('SMS through an HTTP gateway, e-mails as .eml files without SMTP', () => {
  let t: TestApp;
  let dataDir: string;
  const gateway = new SmsGateway();
  const rows = (orderId: string) =>
    t.ctx.db.selectFrom('notification').select(['channel', 'status', 'attempts', 'provider', 'provider_message_id', 'error']).where('order_id', '=', orderId).orderBy('id').execute();

  beforeAll(async () => {
    dataDir = tempDataDir();
    const url = await gateway.start();
    t = await createTestApp({ env: notificationEnv(dataDir, { ORDO_SMS_WEBHOOK_URL: url, ORDO_SMS_WEBHOOK_TOKEN: 'gw-token' }) });
  });
  afterAll(async () => {
    await t?.close();
    await gateway.stop();
  });

  it('posts the pickup code SMS to the gateway and writes the e-mail as an .eml file', async () => {
    const orderId = '5d0c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
    const events = await emit(t, [['order.ready_for_pickup', samples(customers.alice, { orderId })['order.ready_for_pickup']]]);
    await t.ctx.notifications.consumer.handle(events);

    expect(gateway.received).toHaveLength(1);
    const [sms] = gateway.received;
    expect(sms!.body).toEqual({
      to: '+33612345678',
      text: 'Maison Ordo : commande ORD-2026-000123 prête au magasin Lyon Part-Dieu. Code de retrait 482913, avant le 12 janv., 19:00.',
      reference: `${events[0]!.eventId}.sms`,
    });
    expect(sms!.headers.authorization).toBe('Bearer gw-token');
    expect(sms!.headers['idempotency-key']).toBe(`${events[0]!.eventId}.sms`);

    const recorded = await rows(orderId);
    expect(recorded).toEqual([
      { channel: 'email', status: 'sent', attempts: 1, provider: 'eml-file', provider_message_id: `<${events[0]!.eventId}.email@maison.example>`, error: null },
      { channel: 'sms', status: 'sent', attempts: 1, provider: 'sms-webhook', provider_message_id: 'gw-1', error: null },
    ]);
    const files = fs.readdirSync(path.join(dataDir, 'mail'));
    expect(files).toEqual([`${events[0]!.eventId}.email@maison.example.eml`]);
    const mail = await simpleParser(fs.readFileSync(path.join(dataDir, 'mail', files[0]!)));
    expect(mail.subject).toBe('Votre commande ORD-2026-000123 est prête à être retirée');
    expect(mail.text).toContain('482913');
    // The e-mail links the order's tracking page; the SMS (exact text above) stays one segment without it.
    expect(mail.text).toMatch(/Suivre ma commande\u00a0: https:\/\/shop\.example\/app\/track\/[A-Za-z0-9_-]{28}\.[A-Za-z0-9_-]{43}/);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('alice.martin@example.fr');
  });

  it('retries an SMS the gateway could not take (503), and fails one it refuses (400) without suppressing the number', async () => {
    gateway.script.push({ status: 503, body: { error: 'overloaded' } });
    const bob = samples(customers.bob, { orderId: 'ord_sms_retry' });
    await t.ctx.notifications.consumer.handle(await emit(t, [['order.shipped', bob['order.shipped']]]));
    const [, pending] = await rows('ord_sms_retry');
    expect(pending).toMatchObject({ channel: 'sms', status: 'retrying', attempts: 1, provider: 'sms-webhook' });
    expect(pending!.error).toContain('SMS webhook answered 503');

    t.clock.advance(60_000);
    await t.ctx.notifications.retryTask.tick();
    expect((await rows('ord_sms_retry'))[1]).toMatchObject({ status: 'sent', attempts: 2, provider_message_id: expect.stringMatching(/^gw-/) });
    // The refused attempt and the accepted one carry the same text and reference (the gateway may dedupe on it).
    const attempts = gateway.received.slice(1).map((r) => r.body);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toEqual(attempts[1]);
    expect(attempts[0]!.text).toBe('Maison Ordo: order ORD-2026-000123 shipped with Colissimo. Tracking: https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901');

    gateway.script.push({ status: 400, body: { error: 'not a mobile number' } });
    const refused = samples({ ...customers.bob, phone: '+44 20 7946 0000' }, { orderId: 'ord_sms_refused' });
    await t.ctx.notifications.consumer.handle(await emit(t, [['order.cancelled', refused['order.cancelled']]]));
    expect((await rows('ord_sms_refused'))[1]).toMatchObject({ channel: 'sms', status: 'failed', attempts: 1, error: expect.stringContaining('400') });
    expect(await t.ctx.db.selectFrom('notification_suppression').selectAll().execute()).toEqual([]);
  });
});

describe('SMS without a gateway', () => {
  it('are recorded in sms.jsonl under the data dir and marked with provider sms-file', async () => {
    const dataDir = tempDataDir();
    const t = await createTestApp({ env: notificationEnv(dataDir) });
    try {
      const events = await emit(t, [['order.delayed', samples(customers.bob, { orderId: 'ord_file' })['order.delayed']]]);
      await t.ctx.notifications.consumer.handle(events);
      const lines = fs.readFileSync(path.join(dataDir, 'sms.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toMatchObject([{ to: '+447700900123', reference: `${events[0]!.eventId}.sms`, text: expect.stringContaining('New estimated date') }]);
      const sms = await t.ctx.db.selectFrom('notification').select(['status', 'provider', 'provider_response']).where('channel', '=', 'sms').executeTakeFirstOrThrow();
      expect(sms).toEqual({ status: 'sent', provider: 'sms-file', provider_response: `recorded in ${path.join(dataDir, 'sms.jsonl')}` });
    } finally {
      await t.close();
    }
  });
});
