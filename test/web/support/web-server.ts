import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createContext, type OrdoContext } from '../../../src/context.js';
import { ManualClock } from '../../../src/domain/shared/clock.js';
import { loadDemoNetwork } from '../../../src/modules/demo/load-demo-network.js';
import { connectPglite } from '../../../src/db/database.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../../support/test-db.js';
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
  const cached = cachedDemo();
  const database: TestDatabase = cached ? await connectPglite(undefined, cached.dataDir) : await createTestDatabase();
  const clock = new ManualClock(WEB_TEST_NOW);
  const config = loadConfig({ ORDO_ADMIN_KEY: ADMIN_KEY, ORDO_DATA_DIR: dataDir, ORDO_TIMER_INTERVAL_MS: '200' });
  const ctx = createContext(config, database, clock);
  const keys = cached?.keys ?? (await loadDemoNetwork(ctx)).keys;
  if (!cached && database.pglite) await saveDemo(await database.pglite.dumpDataDir('none'), keys);
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

/**
 * Loading the demo network takes seconds; on PGlite every browser test file starts from a copy of one
 * loaded data dir, kept in the temp dir under a hash of the sources that shape it (any change in src/
 * makes a new one). The server suites load it for real each time.
 */
const DEMO_CACHE = (() => {
  const hash = crypto.createHash('sha256');
  const src = path.resolve(import.meta.dirname, '../../../src');
  for (const file of (fs.readdirSync(src, { recursive: true }) as string[]).sort()) {
    const full = path.join(src, file);
    if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
  }
  return path.join(os.tmpdir(), `ordo-web-demo-${hash.digest('hex').slice(0, 16)}`);
})();

function cachedDemo(): { dataDir: Blob; keys: Record<string, string> } | undefined {
  if (testDbKind() !== 'pglite' || !fs.existsSync(`${DEMO_CACHE}.json`)) return undefined;
  const { keys } = JSON.parse(fs.readFileSync(`${DEMO_CACHE}.json`, 'utf8')) as { keys: Record<string, string> };
  return { dataDir: new Blob([fs.readFileSync(`${DEMO_CACHE}.tar`)]), keys };
}

/** Written whole then renamed, the keys last: parallel workers never read half a cache. */
async function saveDemo(dataDir: Blob, keys: Record<string, string>): Promise<void> {
  const tmp = `${DEMO_CACHE}.${process.pid}`;
  fs.writeFileSync(`${tmp}.tar`, Buffer.from(await dataDir.arrayBuffer()));
  fs.renameSync(`${tmp}.tar`, `${DEMO_CACHE}.tar`);
  fs.writeFileSync(`${tmp}.json`, JSON.stringify({ keys }));
  fs.renameSync(`${tmp}.json`, `${DEMO_CACHE}.json`);
}
