import type { Config } from '../config.js';
import { connectPglite, connectPostgres, type Database } from './database.js';
import { migrate } from './migrate.js';

/** Connects to the configured database (server or embedded) and applies pending migrations. */
export async function openDatabase(config: Config): Promise<Database> {
  const database = config.databaseUrl
    ? connectPostgres(config.databaseUrl, config.poolSize)
    : await connectPglite(config.dataDir);
  await migrate(database);
  return database;
}
