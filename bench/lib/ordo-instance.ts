import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type OrdoContext } from '../../src/context.js';
import type { Database } from '../../src/db/database.js';
import { systemClock, type Clock } from '../../src/domain/shared/clock.js';

export const BENCH_ADMIN_KEY = 'bench-admin-key';
export const authHeaders = { authorization: `Bearer ${BENCH_ADMIN_KEY}` };

export interface OrdoInstance {
  app: FastifyInstance;
  ctx: OrdoContext;
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/**
 * The real application, as main.ts runs it (background tasks started), listening on an ephemeral
 * loopback port. `extend` may add bench-only routes (baselines) before the app is sealed; `clock` pins
 * the time of day where a figure depends on it (cut-offs, opening hours); `env` adds configuration
 * (e.g. ORDO_DATA_DIR, where e-mails are written as files when no SMTP server is set).
 */
export async function startOrdo(
  database: Database,
  extend?: (app: FastifyInstance, ctx: OrdoContext) => void,
  clock: Clock = systemClock,
  env: Record<string, string> = {},
): Promise<OrdoInstance> {
  const config = loadConfig({ ORDO_ADMIN_KEY: BENCH_ADMIN_KEY, LOG_LEVEL: 'warn', ORDO_INVENTORY_CHECK_INTERVAL_MS: '0', ...env });
  const ctx = createContext(config, database, clock);
  const app = await buildApp(ctx);
  extend?.(app, ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  for (const task of ctx.tasks) task.start();
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('Ordo did not bind a TCP port');
  return {
    app,
    ctx,
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      for (const task of ctx.tasks) await task.stop();
    },
  };
}
