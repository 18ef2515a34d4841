import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendEvents, readEvents, sequenceEvents, type OutboxEvent } from '../../src/db/outbox.js';
import type { OrderEventPayloads } from '../../src/domain/orders/order-events.js';
import type { TestApp } from '../support/test-app.js';

export const tempDataDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'ordo-notifications-'));

/** Environment of an app whose notifications go to the given SMTP server and SMS webhook. */
export function notificationEnv(dataDir: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    ORDO_DATA_DIR: dataDir,
    ORDO_MAIL_FROM: 'Maison Ordo <commandes@maison.example>',
    ORDO_BRAND_NAME: 'Maison Ordo',
    ORDO_PUBLIC_URL: 'https://shop.example',
    ...over,
  };
}

/**
 * Commits order events as the orders context will (appendEvents in a transaction), positions them, and
 * returns them as the dispatcher hands them to consumers.
 */
export async function emit<T extends keyof OrderEventPayloads>(t: TestApp, items: Array<[T, OrderEventPayloads[T]]>): Promise<OutboxEvent[]> {
  const before = await t.ctx.db.selectFrom('outbox_event').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
  await t.ctx.db.transaction().execute((tx) =>
    appendEvents(tx, items.map(([type, payload]) => ({ type, aggregateType: 'order', aggregateId: payload.orderId, payload }))),
  );
  await sequenceEvents(t.ctx.db);
  return readEvents(t.ctx.db, { after: Number(before?.p ?? 0), limit: 1_000 });
}
