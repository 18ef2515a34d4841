import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type OrdoContext } from '../../src/context.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export const ADMIN_KEY = 'test-admin-key';

export interface TestApp {
  app: FastifyInstance;
  ctx: OrdoContext;
  database: TestDatabase;
  clock: ManualClock;
  /** Headers for a request as the bootstrap admin. */
  admin: { authorization: string };
  close(): Promise<void>;
}

/** The real application on a fresh database, with a clock the test controls. Background tasks are not started. */
export async function createTestApp(opts: { env?: Record<string, string>; clock?: ManualClock } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = opts.clock ?? new ManualClock();
  const config = loadConfig({ ORDO_ADMIN_KEY: ADMIN_KEY, ...opts.env });
  const ctx = createContext(config, database, clock);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    database,
    clock,
    admin: { authorization: `Bearer ${ADMIN_KEY}` },
    close: async () => {
      for (const task of ctx.tasks) await task.stop();
      await app.close();
      await database.close();
    },
  };
}
