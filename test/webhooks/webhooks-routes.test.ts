import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, sequenceEvents } from '../../src/db/outbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('webhook subscriptions API', () => {
  let t: TestApp;
  let integration: { authorization: string };
  let ops: { authorization: string };

  const key = async (role: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: `${role} key`, role } });
    expect(res.statusCode).toBe(201);
    return { authorization: `Bearer ${res.json().secret}` };
  };
  const create = (payload: Record<string, unknown>, headers = integration) => t.app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload });

  beforeAll(async () => {
    t = await createTestApp();
    integration = await key('integration');
    ops = await key('ops');
  });
  afterAll(async () => t?.close());

  it('creates a subscription and shows its secret once', async () => {
    const res = await create({ url: 'https://shop.example.com/ordo', eventTypes: ['order.*', 'stock.changed'], description: 'shop' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ url: 'https://shop.example.com/ordo', eventTypes: ['order.*', 'stock.changed'], status: 'active', maxAttempts: 8, timeoutMs: 10_000, replay: null });
    expect(created.secret).toMatch(/^whsec_/);
    const read = await t.app.inject({ method: 'GET', url: `/v1/webhooks/${created.id}`, headers: integration });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ ...created, secret: undefined });
    expect(read.body).not.toContain(created.secret);
    const list = await t.app.inject({ method: 'GET', url: '/v1/webhooks', headers: t.admin });
    expect(list.body).not.toContain(created.secret);
    expect(list.json().items.map((w: { id: string }) => w.id)).toContain(created.id);
  });

  it('answers 4xx and writes nothing on bad input', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ url: 'not a url', eventTypes: ['order.*'] }, 400, 'validation_failed'],
      [{ url: 'ftp://files.example.com/in', eventTypes: ['order.*'] }, 400, 'invalid_webhook_url'],
      [{ url: 'https://user:pw@example.com/in', eventTypes: ['order.*'] }, 400, 'invalid_webhook_url'],
      [{ url: 'https://example.com/in', eventTypes: ['order.shiped'] }, 400, 'unknown_event_type'],
      [{ url: 'https://example.com/in', eventTypes: ['invoice.*'] }, 400, 'unknown_event_type'],
      [{ url: 'https://example.com/in', eventTypes: ['order.**'] }, 400, 'validation_failed'],
      [{ url: 'https://example.com/in', eventTypes: [] }, 400, 'validation_failed'],
      [{ url: 'https://example.com/in', eventTypes: ['*'], maxAttempts: 0 }, 400, 'validation_failed'],
      [{ url: 'https://example.com/in', eventTypes: ['*'], timeoutMs: 120_000 }, 400, 'validation_failed'],
      [{ url: 'https://example.com/in', eventTypes: ['*'], secret: 'mine' }, 400, 'validation_failed'],
    ];
    const before = (await t.app.inject({ method: 'GET', url: '/v1/webhooks?limit=500', headers: t.admin })).json().items.length;
    for (const [payload, status, code] of cases) {
      const res = await create(payload);
      expect([res.statusCode, res.json().error.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    const unknown = await create({ url: 'https://example.com/in', eventTypes: ['order.shiped'] });
    expect(unknown.json().error.details).toMatchObject({ unknown: ['order.shiped'] });
    expect(unknown.json().error.details.knownTypes).toContain('order.shipped');
    const after = (await t.app.inject({ method: 'GET', url: '/v1/webhooks?limit=500', headers: t.admin })).json().items.length;
    expect(after).toBe(before);
  });

  it('is for admin and integration keys only', async () => {
    expect((await create({ url: 'https://example.com/in', eventTypes: ['*'] }, ops)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/webhooks', headers: ops })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/webhooks' })).statusCode).toBe(401);
    expect((await create({ url: 'https://example.com/in', eventTypes: ['*'] }, t.admin)).statusCode).toBe(201);
  });

  it('replays a create with the same Idempotency-Key and refuses it with another body', async () => {
    const headers = { ...integration, 'idempotency-key': 'create-hook-1' };
    const body = { url: 'https://erp.example.com/hook', eventTypes: ['supply.*'] };
    const first = await create(body, headers);
    const again = await create(body, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect((await create({ ...body, eventTypes: ['order.*'] }, headers)).json().error.code).toBe('idempotency_key_reused');
  });

  it('updates, pauses, validates the patch, and deletes', async () => {
    const { id } = (await create({ url: 'https://a.example.com/in', eventTypes: ['order.*'] })).json();
    const patch = (payload: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: integration, payload });
    const updated = await patch({ url: 'https://b.example.com/in', eventTypes: ['order.shipped', 'order.shipped'], status: 'paused', maxAttempts: 3, timeoutMs: 2_000, description: null });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ url: 'https://b.example.com/in', eventTypes: ['order.shipped'], status: 'paused', maxAttempts: 3, timeoutMs: 2_000, description: null });
    expect((await patch({})).statusCode).toBe(400);
    expect((await patch({ url: 'mailto:ops@example.com' })).json().error.code).toBe('invalid_webhook_url');
    expect((await patch({ eventTypes: ['nope.*'] })).json().error.code).toBe('unknown_event_type');
    expect((await patch({ status: 'deleted' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: integration })).json().url).toBe('https://b.example.com/in');

    expect((await t.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: integration })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: integration })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: integration })).json().error.code).toBe('webhook_not_found');
    expect((await patch({ status: 'active' })).json().error.code).toBe('webhook_not_found');
  });

  it('answers 404 for unknown subscriptions and deliveries, 400 for malformed ids', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [
      ['GET', `/v1/webhooks/${missing}/deliveries`],
      ['GET', `/v1/webhooks/${missing}/deliveries/1`],
      ['POST', `/v1/webhooks/${missing}/replay`],
      ['POST', `/v1/webhooks/${missing}/deliveries/requeue`],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: integration, payload: method === 'POST' ? (url.endsWith('replay') ? { after: 0 } : {}) : undefined });
      expect(res.statusCode, url).toBe(404);
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/webhooks/not-a-uuid', headers: integration })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/v1/webhooks/${missing}/deliveries/abc`, headers: integration })).statusCode).toBe(400);
  });

  it('starts a replay from a cursor, refuses one beyond the head, and lists event types and consumers', async () => {
    await t.database.db.transaction().execute((tx) => appendEvents(tx, [{ type: 'order.confirmed', aggregateType: 'order', aggregateId: 'o-r', payload: {} }]));
    await sequenceEvents(t.database.db);
    const { id } = (await create({ url: 'https://r.example.com/in', eventTypes: ['order.*'] })).json();
    const head = (await t.app.inject({ method: 'GET', url: '/v1/events?after=0&limit=1000', headers: integration })).json().nextCursor as number;
    const replay = await t.app.inject({ method: 'POST', url: `/v1/webhooks/${id}/replay`, headers: integration, payload: { after: 0 } });
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toEqual({ subscriptionId: id, after: 0, until: head });
    expect((await t.app.inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: integration })).json().replay).toEqual({ after: 0, until: head });
    const ahead = await t.app.inject({ method: 'POST', url: `/v1/webhooks/${id}/replay`, headers: integration, payload: { after: head + 1 } });
    expect([ahead.statusCode, ahead.json().error.code]).toEqual([400, 'replay_cursor_ahead']);
    expect((await t.app.inject({ method: 'POST', url: `/v1/webhooks/${id}/replay`, headers: integration, payload: { after: -1 } })).statusCode).toBe(400);

    const types = await t.app.inject({ method: 'GET', url: '/v1/webhooks/event-types', headers: integration });
    expect(types.json().items).toEqual(expect.arrayContaining(['order.shipped', 'stock.changed']));
    await t.ctx.dispatcher.tick();
    const consumers = await t.app.inject({ method: 'GET', url: '/v1/event-consumers', headers: ops });
    expect(consumers.statusCode).toBe(200);
    expect(consumers.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'webhooks', lag: 0, failures: 0 })]));
  });
});
