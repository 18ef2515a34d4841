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
  /** Outbox dispatcher: poll interval, consumer lease (a crashed process's work is taken over after it), batch size. */
  dispatch: { intervalMs: number; leaseMs: number; batchSize: number };
  /** Defaults of new webhook subscriptions, retry schedule, and how many deliveries one process sends at once. */
  webhooks: { timeoutMs: number; maxAttempts: number; retryBaseMs: number; retryMaxMs: number; concurrency: number };
  /** JetStream publisher, on when NATS_URL is set: subjects `<subjectPrefix>.<event type>` in `stream`. */
  nats: { url: string; subjectPrefix: string; stream: string } | undefined;
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** Subject prefixes and stream names: NATS tokens without wildcards or spaces (stream names without dots). */
function natsToken(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] || fallback;
  const pattern = name === 'ORDO_NATS_STREAM' ? /^[A-Za-z0-9_-]+$/ : /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
  if (!pattern.test(value)) throw new ConfigError(`${name} must match ${pattern.source}, got "${value}"`);
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
    dispatch: {
      intervalMs: intFrom(env, 'ORDO_DISPATCH_INTERVAL_MS', 100, 1),
      leaseMs: intFrom(env, 'ORDO_DISPATCH_LEASE_MS', 30_000, 200),
      batchSize: intFrom(env, 'ORDO_DISPATCH_BATCH_SIZE', 500, 1),
    },
    webhooks: {
      timeoutMs: intFrom(env, 'ORDO_WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
      maxAttempts: intFrom(env, 'ORDO_WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
      retryBaseMs: intFrom(env, 'ORDO_WEBHOOK_RETRY_BASE_MS', 30_000),
      retryMaxMs: intFrom(env, 'ORDO_WEBHOOK_RETRY_MAX_MS', 6 * 3_600_000),
      concurrency: intFrom(env, 'ORDO_WEBHOOK_CONCURRENCY', 16, 1),
    },
    nats: env.NATS_URL
      ? { url: env.NATS_URL, subjectPrefix: natsToken(env, 'ORDO_NATS_SUBJECT_PREFIX', 'ordo.events'), stream: natsToken(env, 'ORDO_NATS_STREAM', 'ORDO_EVENTS') }
      : undefined,
  };
}
