import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createContext, type OrdoContext } from '../../../src/context.js';
import { ManualClock } from '../../../src/domain/shared/clock.js';
import { loadDemoNetwork } from '../../../src/modules/demo/load-demo-network.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-db.js';
import { ADMIN_KEY } from '../../support/test-app.js';

/** A Tuesday, 10:30 in Paris: stores are open, cut-offs are ahead. */
export const WEB_TEST_NOW = '2026-11-24T09:30:00Z';

export interface WebTestServer {
  /** e.g. http://127.0.0.1:41234 (the apps are under /app). */
  baseUrl: string;
  app: FastifyInstance;
  ctx: OrdoContext;
  clock: ManualClock;
  /** The demo's API keys by name (`admin`, `ops`, `store:<locationId>`, …). */
  keys: Record<string, string>;
  /** Calls the API as the bootstrap admin (setup and checks; the browser itself only uses sessions). */
  adminFetch(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/**
 * The real Ordo, listening on a free loopback port with its background tasks running, on a fresh test
 * database loaded with the demo network, and serving the built web apps (scripts/test.mjs builds them).
 */
export async function startWebServer(): Promise<WebTestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordo-web-'));
  const database: TestDatabase = await createTestDatabase();
  const clock = new ManualClock(WEB_TEST_NOW);
  const config = loadConfig({ ORDO_ADMIN_KEY: ADMIN_KEY, ORDO_DATA_DIR: dataDir, ORDO_TIMER_INTERVAL_MS: '200' });
  const ctx = createContext(config, database, clock);
  const { keys } = await loadDemoNetwork(ctx);
  const app = await buildApp(ctx);
  await ctx.availability.refresh();
  await app.listen({ port: 0, host: '127.0.0.1' });
  for (const task of ctx.tasks) task.start();
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl,
    app,
    ctx,
    clock,
    keys,
    async adminFetch(method, url, body, headers = {}) {
      const res = await fetch(baseUrl + url, {
        method,
        headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, json };
    },
    async close() {
      for (const task of ctx.tasks) await task.stop();
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
