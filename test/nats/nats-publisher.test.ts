import crypto from 'node:crypto';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, readEvents, sequenceEvents, type NewEvent } from '../../src/db/outbox.js';
import type { OutboxEvent } from '../../src/modules/dispatch/event-consumer.js';
import { listConsumers } from '../../src/modules/dispatch/event-consumer.repository.js';
import { EventDispatcher } from '../../src/modules/dispatch/event-dispatcher.js';
import { NatsPublisher } from '../../src/modules/nats/nats-publisher.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const NATS_URL = process.env.ORDO_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Every message of a stream, in stream order. */
async function streamMessages(jsm: JetStreamManager, stream: string) {
  const info = await jsm.streams.info(stream);
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    out.push({ subject: m.subject, msgId: m.header.get('Nats-Msg-Id'), type: m.header.get('Ordo-Event-Type'), body: JSON.parse(new TextDecoder().decode(m.data)) });
  }
  return out;
}

// Against the real NATS server (JetStream on). A unique stream and subject prefix per run keeps runs apart.
describe('NATS JetStream publisher', () => {
  const run = crypto.randomBytes(4).toString('hex');
  const stream = `ORDO_TEST_${run}`;
  const prefix = `ordo_test_${run}.events`;
  let t: TestApp;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    jsm = await nc.jetstreamManager();
    t = await createTestApp({ env: { NATS_URL, ORDO_NATS_SUBJECT_PREFIX: prefix, ORDO_NATS_STREAM: stream } });
  });
  afterAll(async () => {
    await t?.close();
    await jsm?.streams.delete(stream).catch(() => undefined);
    await nc?.close();
  });

  const emit = async (...transactions: NewEvent[][]) => {
    for (const events of transactions) await t.database.db.transaction().execute((tx) => appendEvents(tx, events));
    await sequenceEvents(t.database.db);
  };
  const order = (id: string, type: string, n: number): NewEvent => ({ type, aggregateType: 'order', aggregateId: id, payload: { id, n } });

  it('creates the stream and publishes every event on its type subject, with the event id as message id, in order', async () => {
    await expect(jsm.streams.info(stream)).rejects.toThrow();
    await emit([order('o-1', 'order.confirmed', 1), order('o-2', 'order.confirmed', 2)], [order('o-1', 'order.shipped', 3)], [{ type: 'stock.changed', aggregateType: 'stock_position', aggregateId: 'WH/A', payload: { atp: 4 } }]);
    await t.ctx.dispatcher.tick();

    const events = await readEvents(t.database.db, { after: 0, limit: 1_000 });
    const messages = await streamMessages(jsm, stream);
    expect(messages.map((m) => m.msgId)).toEqual(events.map((e) => e.eventId));
    expect(messages.map((m) => m.subject)).toEqual(events.map((e) => `${prefix}.${e.type}`));
    expect(messages.map((m) => m.type)).toEqual(events.map((e) => e.type));
    expect(messages.at(-1)!.body).toMatchObject({ type: 'stock.changed', aggregateId: 'WH/A', payload: { atp: 4 }, position: events.at(-1)!.position });
    const info = await jsm.streams.info(stream);
    expect(info.config.subjects).toEqual([`${prefix}.>`]);
    expect((await listConsumers(t.database.db)).find((c) => c.name === 'nats')).toMatchObject({ lag: 0, failures: 0 });
  });

  it('a batch published again (a crash before the cursor moved) is deduplicated by JetStream', async () => {
    await emit([order('o-3', 'order.cancelled', 4)], [order('o-3', 'order.refunded', 5)]);
    const before = (await jsm.streams.info(stream)).state.messages;
    const batch = await readEvents(t.database.db, { after: 0, limit: 1_000 });
    const publisher = t.ctx.dispatcher.consumers.find((c) => c.name === 'nats')!;
    await publisher.handle(batch);
    await publisher.handle(batch);
    await t.ctx.dispatcher.tick();
    const messages = await streamMessages(jsm, stream);
    expect(messages).toHaveLength(batch.length);
    expect(messages.length).toBe(before + 2);
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(messages.length);
    expect(messages.map((m) => m.msgId)).toEqual(batch.map((e) => e.eventId));
  });

  it('when NATS is unreachable the cursor stays and the error is recorded; once it is back nothing is skipped', async () => {
    let target = new NatsPublisher({ url: 'nats://127.0.0.1:1', subjectPrefix: prefix, stream });
    const consumer = { name: 'nats-flaky', handle: (events: OutboxEvent[], signal?: AbortSignal) => target.handle(events, signal) };
    const dispatcher = new EventDispatcher(t.database.db, [consumer], { leaseMs: 5_000, batchSize: 100 });
    expect(await dispatcher.tick()).toBe(0);
    const status = (await listConsumers(t.database.db)).find((c) => c.name === 'nats-flaky')!;
    expect(status).toMatchObject({ position: 0, failures: 1 });
    expect(status.lastError).toMatch(/CONNECTION_REFUSED|ECONNREFUSED/);

    await target.close();
    target = new NatsPublisher({ url: NATS_URL, subjectPrefix: prefix, stream });
    const deadline = Date.now() + 5_000;
    while ((await dispatcher.tick()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const all = await readEvents(t.database.db, { after: 0, limit: 1_000 });
    expect((await listConsumers(t.database.db)).find((c) => c.name === 'nats-flaky')).toMatchObject({ position: all.at(-1)!.position, lag: 0, failures: 0 });
    expect((await streamMessages(jsm, stream)).map((m) => m.msgId)).toEqual(all.map((e) => e.eventId));
    await target.close();
    await dispatcher.close();
  });
});
