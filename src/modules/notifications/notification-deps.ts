import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { EmailTransport } from './mail-transport.js';
import type { SmsProvider } from './sms-providers.js';

/** What the notification use cases work with, built once by NotificationService. */
export interface NotificationDeps {
  db: Db;
  clock: Clock;
  email: EmailTransport;
  sms: SmsProvider;
  brand: string;
  /** Zone for dates when an event names none. */
  timeZone: string;
  /** Base URL of this API as customers reach it (unsubscribe links). */
  publicUrl: string;
  /** Domain of the From address, for Message-IDs. */
  mailDomain: string;
  unsubscribeSecret(): Promise<string>;
  /** Key of the order tracking links the messages carry. */
  trackingSecret(): Promise<string>;
  /** Jitter source for retry delays (tests pass a constant). */
  random(): number;
}

/** How long a 'sending' row is held before another pass may retry it (a process died mid-send). */
export const SEND_LEASE_MS = 5 * 60_000;
