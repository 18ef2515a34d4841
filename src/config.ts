import path from 'node:path';

/** Everything Ordo reads from the environment, parsed once at start. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server URL; when absent Ordo runs on embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Bootstrap admin key (ORDO_ADMIN_KEY); admins create the other keys through the API. */
  adminKey: string | undefined;
  /** Load the demo network on start: always on an empty embedded database, or when ORDO_DEMO=1. */
  demo: 'auto' | 'always' | 'never';
  logLevel: string;
  poolSize: number;
  /** How often the in-memory availability view and the event sequencer poll for committed changes. */
  pollIntervalMs: number;
  /** How often durable timers (reservation expiry, invariant check) are looked at. */
  timerIntervalMs: number;
  /** Interval of the scheduled inventory invariant check; 0 disables it. */
  inventoryCheckIntervalMs: number;
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const demoRaw = env.ORDO_DEMO;
  const demo = demoRaw === undefined || demoRaw === '' ? 'auto' : demoRaw === '1' || demoRaw === 'true' ? 'always' : 'never';
  return {
    port: intFrom(env, 'PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.ORDO_DATA_DIR ?? './.ordo'),
    adminKey: env.ORDO_ADMIN_KEY || undefined,
    demo,
    logLevel: env.LOG_LEVEL ?? 'info',
    poolSize: intFrom(env, 'ORDO_DB_POOL_SIZE', 12, 1),
    pollIntervalMs: intFrom(env, 'ORDO_POLL_INTERVAL_MS', 25, 1),
    timerIntervalMs: intFrom(env, 'ORDO_TIMER_INTERVAL_MS', 500, 10),
    inventoryCheckIntervalMs: intFrom(env, 'ORDO_INVENTORY_CHECK_INTERVAL_MS', 3_600_000),
  };
}
