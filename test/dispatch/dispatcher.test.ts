import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { appendEvents, sequenceEvents, type NewEvent } from '../../src/db/outbox.js';
import type { EventConsumer, EventInterest, OutboxEvent } from '../../src/modules/dispatch/event-consumer.js';
import { listConsumers } from '../../src/modules/dispatch/event-consumer.repository.js';
import { EventDispatcher } from '../../src/modules/dispatch/event-dispatcher.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const opts = { leaseMs: 30_000, batchSize: 7 };

class Recorder implements EventConsumer {
  readonly seen: OutboxEvent[] = [];
  readonly batches: number[] = [];
  failNext = 0;
  constructor(
    readonly name: string,
    readonly startFrom?: 'beginning' | 'head',
  ) {}
  async handle(events: OutboxEvent[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('receiver down');
    }
    this.batches.push(events.length);
    this.seen.push(...events);
  }
}

/** A consumer that asks for some event types only; its interest can change between batches. */
class Picky extends Recorder {
  asked = 0;
  constructor(
    name: string,
    public interest: EventInterest,
  ) {
    super(name);
  }
  handles(): EventInterest | Promise<EventInterest> {
    this.asked++;
    return this.interest;
  }
}

async function emit(db: Db, events: NewEvent[]): Promise<void> {
  await db.transaction().execute((tx) => appendEvents(tx, events));
  await sequenceEvents(db);
}

const orderEvent = (orderId: string, n: number): NewEvent => ({ type: 'order.confirmed', aggregateType: 'order', aggregateId: orderId, payload: { n } });
const stockEvent = (n: number): NewEvent => ({ type: 'stock.changed', aggregateType: 'stock_position', aggregateId: 'wh/SKU', payload: { n } });

describe('event dispatcher', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());
  const lagOf = async (name: string) => (await listConsumers(database.db)).find((c) => c.name === name)?.lag;
  beforeEach(async () => {
    await database.db.deleteFrom('event_consumer').execute();
  });

  it('hands every event to each consumer once, in position order, in batches, and moves the cursor', async () => {
    const a = new Recorder('test-a');
    const b = new Recorder('test-b');
    const dispatcher = new EventDispatcher(database.db, [a, b], opts);
    await emit(database.db, Array.from({ length: 20 }, (_, i) => orderEvent(`o-${i % 3}`, i)));
    expect(await dispatcher.tick()).toBeGreaterThanOrEqual(40);
    expect(await dispatcher.tick()).toBe(0);
    for (const r of [a, b]) {
      const positions = r.seen.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
      expect(new Set(r.seen.map((e) => e.eventId)).size).toBe(r.seen.length);
    }
    const status = await listConsumers(database.db);
    expect(status.map((s) => [s.name, s.lag, s.leaseOwner])).toEqual([
      ['test-a', 0, dispatcher.owner],
      ['test-b', 0, dispatcher.owner],
    ]);
    await emit(database.db, [orderEvent('o-9', 99)]);
    await dispatcher.tick();
    expect(a.seen.at(-1)!.payload).toEqual({ n: 99 });
  });

  it('reads only the event types a consumer handles, in order and in batches, and moves its cursor past the others', async () => {
    const picky = new Picky('test-picky', ['order.confirmed']);
    const all = new Recorder('test-all');
    const dispatcher = new EventDispatcher(database.db, [picky, all], opts);
    await dispatcher.tick();
    const [pickyBefore, allBefore] = [picky.seen.length, all.seen.length];
    // 30 events, 16 wanted, the last four not: two full batches of 7 and a short one of 2 for the picky consumer.
    const events = Array.from({ length: 30 }, (_, i) => (i < 26 && (i % 2 === 0 || i < 6) ? orderEvent('o-p', i) : stockEvent(i)));
    await emit(database.db, events);
    await dispatcher.tick();
    const wanted = events.filter((e) => e.type === 'order.confirmed').map((e) => e.payload);
    expect(wanted).toHaveLength(16);
    expect(picky.seen.slice(pickyBefore).map((e) => e.payload)).toEqual(wanted);
    expect(picky.seen.slice(pickyBefore).every((e) => e.type === 'order.confirmed')).toBe(true);
    expect(picky.batches.slice(-3)).toEqual([7, 7, 2]);
    expect(all.seen.slice(allBefore).map((e) => e.payload)).toEqual(events.map((e) => e.payload));
    // The cursor reached the head although the last events were not the consumer's.
    expect(await lagOf('test-picky')).toBe(0);
    expect(await dispatcher.tick()).toBe(0);
  });

  it('a consumer that handles no event type now reads nothing, follows the log, and gets what comes after it asks again', async () => {
    const idle = new Picky('test-idle', []);
    const dispatcher = new EventDispatcher(database.db, [idle], opts);
    await dispatcher.tick();
    const before = idle.seen.length;
    await emit(database.db, [orderEvent('o-i', 1), stockEvent(2)]);
    expect(await dispatcher.tick()).toBe(0);
    expect(idle.seen.length).toBe(before);
    expect(idle.asked).toBeGreaterThan(0);
    expect(await lagOf('test-idle')).toBe(0);

    idle.interest = 'all';
    await emit(database.db, [orderEvent('o-i', 3), stockEvent(4)]);
    expect(await dispatcher.tick()).toBe(2);
    expect(idle.seen.slice(before).map((e) => e.payload)).toEqual([{ n: 3 }, { n: 4 }]);
  });

  it('a consumer\'s interest is asked after the tick\'s head is read: events positioned meanwhile wait for the next tick', async () => {
    const late = new Picky('test-head', ['order.confirmed']);
    const dispatcher = new EventDispatcher(database.db, [late], opts);
    await dispatcher.tick();
    const before = late.seen.length;
    await emit(database.db, [orderEvent('o-t', 1)]);
    // While the tick asks for the interest, another event is positioned: it is past this tick's head.
    late.handles = () => {
      late.handles = Picky.prototype.handles;
      return emit(database.db, [orderEvent('o-t', 2)]).then(() => ['order.confirmed']);
    };
    expect(await dispatcher.tick()).toBe(1);
    expect(late.seen.slice(before).map((e) => e.payload)).toEqual([{ n: 1 }]);
    expect(await lagOf('test-head')).toBe(1);
    expect(await dispatcher.tick()).toBe(1);
    expect(late.seen.slice(before).map((e) => e.payload)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('keeps the cursor on a failed batch, records the error, and redoes the batch later', async () => {
    const flaky = new Recorder('test-flaky');
    const dispatcher = new EventDispatcher(database.db, [flaky], opts);
    await dispatcher.tick();
    const before = flaky.seen.length;
    await emit(database.db, [orderEvent('o-f', 1), orderEvent('o-f', 2)]);
    flaky.failNext = 1;
    expect(await dispatcher.tick()).toBe(0);
    const [failed] = await listConsumers(database.db);
    expect(failed).toMatchObject({ name: 'test-flaky', lag: 2, failures: 1, lastError: 'Error: receiver down' });
    expect(failed!.retryAt).not.toBeNull();
    // Backing off: nothing is retried before retry_at (0.5-1 s for a first failure).
    expect(await dispatcher.tick()).toBe(0);
    const deadline = Date.now() + 5_000;
    while ((await dispatcher.tick()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(flaky.seen.slice(before).map((e) => e.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await listConsumers(database.db))[0]).toMatchObject({ lag: 0, failures: 0 });
  });

  it('a consumer registered on an empty log receives the first events', async () => {
    const empty = await createTestDatabase();
    try {
      const first = new Recorder('test-first');
      const fromHead = new Recorder('test-first-head', 'head');
      const dispatcher = new EventDispatcher(empty.db, [first, fromHead], opts);
      expect(await dispatcher.tick()).toBe(0);
      await emit(empty.db, [orderEvent('o-e', 1)]);
      expect(await dispatcher.tick()).toBe(2);
      expect([first.seen.map((e) => e.payload), fromHead.seen.map((e) => e.payload)]).toEqual([[{ n: 1 }], [{ n: 1 }]]);
    } finally {
      await empty.close();
    }
  });

  it('a new consumer starting at the head skips history', async () => {
    await emit(database.db, [orderEvent('o-h', 1)]);
    const late = new Recorder('test-late', 'head');
    const dispatcher = new EventDispatcher(database.db, [late], opts);
    expect(await dispatcher.tick()).toBe(0);
    await emit(database.db, [orderEvent('o-h', 2)]);
    await dispatcher.tick();
    expect(late.seen.map((e) => e.payload)).toEqual([{ n: 2 }]);
  });

  it('one process at a time runs a consumer: the other waits for a release or an expired lease', async () => {
    const one = new Recorder('test-shared');
    const two = new Recorder('test-shared');
    const first = new EventDispatcher(database.db, [one], { ...opts, leaseMs: 400 });
    const second = new EventDispatcher(database.db, [two], { ...opts, leaseMs: 400 });
    await first.tick();
    await emit(database.db, [orderEvent('o-l', 1)]);
    expect(await second.tick()).toBe(0);
    expect(await first.tick()).toBe(1);

    // The first process "dies" (stops renewing): after the lease the second one takes over.
    await emit(database.db, [orderEvent('o-l', 2)]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await second.tick()).toBe(1);
    expect(await first.tick()).toBe(0);

    // A graceful stop hands the lease over at once.
    await second.close();
    await emit(database.db, [orderEvent('o-l', 3)]);
    expect(await first.tick()).toBe(1);
    const payloads = (r: Recorder) => r.seen.filter((e) => e.aggregateId === 'o-l').map((e) => e.payload);
    expect(payloads(one)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(payloads(two)).toEqual([{ n: 2 }]);
  });
});
