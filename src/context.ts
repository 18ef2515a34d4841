import type { Config } from './config.js';
import type { Database, Db } from './db/database.js';
import type { Clock } from './domain/shared/clock.js';
import type { PeriodicTask } from './background.js';
import { KeyAuthenticator } from './modules/access/api-keys.js';

/**
 * The composition root's product: every long-lived collaborator, built once in `createContext` and
 * handed explicitly to routes and background jobs (no container, no globals).
 */
export interface OrdoContext {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  authenticator: KeyAuthenticator;
  /** Jobs main.ts starts after listening and stops on shutdown (tests call their tick()). */
  tasks: PeriodicTask[];
}

export function createContext(config: Config, database: Database, clock: Clock): OrdoContext {
  return {
    config,
    database,
    db: database.db,
    clock,
    authenticator: new KeyAuthenticator(database.db, config.adminKey),
    tasks: [],
  };
}
