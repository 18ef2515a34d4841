import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createContext } from './context.js';
import { openDatabase } from './db/open.js';
import { systemClock } from './domain/shared/clock.js';
import { loadDemoOnStart } from './modules/demo/demo.command.js';

const config = loadConfig();
const database = await openDatabase(config);
const ctx = createContext(config, database, systemClock);
await loadDemoOnStart(ctx);
const app = await buildApp(ctx, { logger: { level: config.logLevel } });
// Load the availability view before taking traffic, so shoppers never see "not ready".
await ctx.availability.refresh();

await app.listen({ port: config.port, host: config.host });
for (const task of ctx.tasks) task.start();
app.log.info(`Ordo is listening on http://localhost:${config.port} (API docs at /docs), database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL server'}`);

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  app.log.info(`${signal} received: draining requests`);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  await app.close(); // stops accepting, waits for in-flight requests
  for (const task of ctx.tasks) await task.stop();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
