import { availableParallelism } from 'node:os';
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
  /**
   * ORDO_WORKERS: HTTP server processes sharing the port (node:cluster), a number or `auto` (one per
   * CPU). Above 1 it needs the PostgreSQL server: the embedded database belongs to one process.
   */
  workers: number;
  /**
   * ORDO_CLOCK_START: an ISO instant the clock starts from (then runs at normal speed), for demos and
   * benchmarks that must see a given weekday and hour. Unset: the real time. Never set it in production.
   */
  clockStart: number | undefined;
  /** How often the in-memory availability view and the event sequencer poll for committed changes. */
  pollIntervalMs: number;
  /** How often durable timers (reservation expiry, invariant check) are looked at. */
  timerIntervalMs: number;
  /** Interval of the scheduled inventory invariant check; 0 disables it. */
  inventoryCheckIntervalMs: number;
  /** How often the embedded database's tables are checked for a vacuum or an analyze (it has no autovacuum); 0 disables it. */
  embeddedVacuumIntervalMs: number;
  /** How often the SLA watch assesses open orders against their promise (ORDO_SLA_INTERVAL_MS). */
  slaIntervalMs: number;
  /** Work not picked with at most this many open minutes before its deadline is at risk (ORDO_SLA_RISK_MARGIN_MINUTES). */
  slaRiskMarginMinutes: number;
  /** Outbox dispatcher: poll interval, consumer lease (a crashed process's work is taken over after it), batch size. */
  dispatch: { intervalMs: number; leaseMs: number; batchSize: number };
  /** Defaults of new webhook subscriptions, retry schedule, and how many deliveries one process sends at once. */
  webhooks: { timeoutMs: number; maxAttempts: number; retryBaseMs: number; retryMaxMs: number; concurrency: number };
  /** JetStream publisher, on when NATS_URL is set: subjects `<subjectPrefix>.<event type>` in `stream`. */
  nats: { url: string; subjectPrefix: string; stream: string } | undefined;
  notifications: NotificationConfig;
  /** ORDO_TRUST_PROXY: proxies in front of Ordo whose X-Forwarded-For gives the client address (a hop count or addresses/CIDRs); unset: none. */
  trustProxy: number | string[] | false;
  /** Session cookies carry `Secure`: when ORDO_PUBLIC_URL is https, or ORDO_SECURE_COOKIES=1 (TLS ended by a proxy). */
  secureCookies: boolean;
}

/** Customer notifications (e-mail and SMS about their orders). */
export interface NotificationConfig {
  /** SMTP_URL, e.g. smtp://user:pass@mail.example:587; unset: e-mails are written as .eml files under `<dataDir>/mail`. */
  smtpUrl: string | undefined;
  /** ORDO_MAIL_FROM, the From header, e.g. "Maison <commandes@maison.example>". */
  mailFrom: string;
  /** ORDO_SMS_WEBHOOK_URL: SMS are POSTed there as JSON; unset: they are recorded in `<dataDir>/sms.jsonl`, not sent. */
  smsWebhookUrl: string | undefined;
  /** ORDO_SMS_WEBHOOK_TOKEN, sent as `Authorization: Bearer` to the SMS webhook. */
  smsWebhookToken: string | undefined;
  /** ORDO_UNSUBSCRIBE_SECRET signs unsubscribe links; unset: a key generated once in the database. */
  unsubscribeSecret: string | undefined;
  /** ORDO_TRACKING_SECRET signs order tracking links; unset: derived from the unsubscribe key. */
  trackingSecret: string | undefined;
  /** ORDO_PUBLIC_URL, where customers reach this API (unsubscribe links). */
  publicUrl: string;
  /** ORDO_BRAND_NAME, the retailer's name in messages. */
  brand: string;
  /** ORDO_NOTIFICATION_TIME_ZONE, for dates when an event names no zone. */
  timeZone: string;
}

function urlFrom(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  return raw;
}

function notificationConfig(env: NodeJS.ProcessEnv, port: number): NotificationConfig {
  const timeZone = env.ORDO_NOTIFICATION_TIME_ZONE || 'Europe/Paris';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`ORDO_NOTIFICATION_TIME_ZONE must be an IANA time zone, got "${timeZone}"`);
  }
  return {
    smtpUrl: urlFrom(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.ORDO_MAIL_FROM || 'Ordo <notifications@localhost>',
    smsWebhookUrl: urlFrom(env, 'ORDO_SMS_WEBHOOK_URL', ['http:', 'https:']),
    smsWebhookToken: env.ORDO_SMS_WEBHOOK_TOKEN || undefined,
    unsubscribeSecret: env.ORDO_UNSUBSCRIBE_SECRET || undefined,
    trackingSecret: env.ORDO_TRACKING_SECRET || undefined,
    publicUrl: (urlFrom(env, 'ORDO_PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    brand: env.ORDO_BRAND_NAME || 'Ordo',
    timeZone,
  };
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

/**
 * A hop count ("1": the one proxy in front) or a comma-separated list of proxy addresses or CIDRs. Never
 * "trust everything": the left-most X-Forwarded-For entry is whatever the client wrote.
 */
function trustProxyFrom(raw: string | undefined): number | string[] | false {
  if (!raw || raw === '0') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0 || list.some((a) => !/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(a))) {
    throw new ConfigError(`ORDO_TRUST_PROXY must be a hop count or a list of proxy addresses/CIDRs, got "${raw}"`);
  }
  return list;
}

function workersFrom(env: NodeJS.ProcessEnv, databaseUrl: string | undefined): number {
  const workers = env.ORDO_WORKERS === 'auto' ? availableParallelism() : intFrom(env, 'ORDO_WORKERS', 1, 1, 64);
  if (workers > 1 && !databaseUrl) {
    throw new ConfigError(`ORDO_WORKERS=${env.ORDO_WORKERS} needs the PostgreSQL server (DATABASE_URL): the embedded database is opened by one process only`);
  }
  return workers;
}

function instantFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const at = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(at)) throw new ConfigError(`${name} must be an ISO instant such as 2026-11-24T10:00:00Z, got "${raw}"`);
  return at;
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
    workers: workersFrom(env, env.DATABASE_URL || undefined),
    clockStart: instantFrom(env, 'ORDO_CLOCK_START'),
    pollIntervalMs: intFrom(env, 'ORDO_POLL_INTERVAL_MS', 25, 1),
    timerIntervalMs: intFrom(env, 'ORDO_TIMER_INTERVAL_MS', 500, 10),
    inventoryCheckIntervalMs: intFrom(env, 'ORDO_INVENTORY_CHECK_INTERVAL_MS', 3_600_000),
    embeddedVacuumIntervalMs: intFrom(env, 'ORDO_EMBEDDED_VACUUM_INTERVAL_MS', 60_000),
    slaIntervalMs: intFrom(env, 'ORDO_SLA_INTERVAL_MS', 60_000, 1_000),
    slaRiskMarginMinutes: intFrom(env, 'ORDO_SLA_RISK_MARGIN_MINUTES', 60, 0, 1_440),
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
    notifications: notificationConfig(env, intFrom(env, 'PORT', 3000)),
    trustProxy: trustProxyFrom(env.ORDO_TRUST_PROXY),
    secureCookies: env.ORDO_SECURE_COOKIES === '1' || env.ORDO_SECURE_COOKIES === 'true' || /^https:/i.test(env.ORDO_PUBLIC_URL ?? ''),
  };
}
