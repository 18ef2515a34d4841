import cluster from 'node:cluster';
import { buildApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { createContext } from './context.js';
import { openDatabase } from './db/open.js';
import { clockStartingAt, systemClock } from './domain/shared/clock.js';
import { loadDemoOnStart } from './modules/demo/demo.command.js';
import { runPrimary, WORKER_LEADER_ENV } from './cluster.js';

const config = loadConfig();
const clock = config.clockStart !== undefined ? clockStartingAt(config.clockStart) : systemClock;

// On the PostgreSQL server the HTTP workers, even one, run under a primary (cluster.ts): it replaces a
// worker that dies, and only a forked worker gets the young generation it is tuned for (a process's own
// V8 heap flags cannot change once it runs). The embedded database belongs to this one process.
if (config.databaseUrl !== undefined && cluster.isPrimary) {
  // Migrations and the demo once, then the HTTP workers.
  const database = await openDatabase(config);
  await loadDemoOnStart(createContext(config, database, clock));
  await database.close();
  runPrimary(config);
} else {
  await serve(config, cluster.isPrimary || process.env[WORKER_LEADER_ENV] === '1');
}

/**
 * One server process. The leader (the only process, or one worker of a cluster) runs the background
 * jobs; every process keeps its own in-memory availability view up to date.
 */
async function serve(config: Config, leader: boolean): Promise<void> {
  const database = await openDatabase(config);
  const ctx = createContext(config, database, clock);
  if (cluster.isPrimary) await loadDemoOnStart(ctx);
  const app = await buildApp(ctx, { logger: { level: config.logLevel } });
  // Load the availability view before taking traffic, so shoppers never see "not ready".
  await ctx.availability.refresh();

  await app.listen({ port: config.port, host: config.host });
  const tasks = ctx.tasks.filter((t) => leader || t.everyProcess);
  for (const task of tasks) task.start();
  if (cluster.isPrimary) {
    app.log.info(`Ordo is listening on http://localhost:${config.port} (API docs at /docs), database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL server'}`);
  }

  let shuttingDown = false;
  async function shutdown(signal: string): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info(`${signal} received: draining requests`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close(); // stops accepting, waits for in-flight requests
    for (const task of tasks) await task.stop();
    await database.close();
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
