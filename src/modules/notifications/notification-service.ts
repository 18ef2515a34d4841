import path from 'node:path';
import { PeriodicTask } from '../../background.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/shared/clock.js';
import { emlFileTransport, smtpTransport } from './mail-transport.js';
import type { NotificationDeps } from './notification-deps.js';
import { NotificationConsumer } from './notification-consumer.js';
import { retryDueNotifications } from './retry-notifications.js';
import { fileSmsProvider, webhookSmsProvider } from './sms-providers.js';
import { storedUnsubscribeKey } from './suppression.repository.js';
import { trackingKey } from '../tracking/tracking-token.js';

/**
 * Customer notifications wired from the configuration: SMTP or .eml files, SMS webhook or a record file,
 * the outbox consumer that sends, and the durable retry task.
 */
export class NotificationService {
  readonly deps: NotificationDeps;
  readonly consumer: NotificationConsumer;
  readonly retryTask: PeriodicTask;
  private secret: Promise<string> | undefined;
  private tracking: Promise<string> | undefined;

  private readonly trackingSecretConfigured: string | undefined;

  constructor(config: Config, db: Db, clock: Clock) {
    const n = config.notifications;
    this.trackingSecretConfigured = n.trackingSecret;
    this.deps = {
      db,
      clock,
      email: n.smtpUrl ? smtpTransport(n.smtpUrl, n.mailFrom) : emlFileTransport(path.join(config.dataDir, 'mail'), n.mailFrom),
      sms: n.smsWebhookUrl ? webhookSmsProvider(n.smsWebhookUrl, n.smsWebhookToken) : fileSmsProvider(path.join(config.dataDir, 'sms.jsonl')),
      brand: n.brand,
      timeZone: n.timeZone,
      publicUrl: n.publicUrl,
      mailDomain: /@([^>\s]+)>?\s*$/.exec(n.mailFrom)?.[1] ?? 'ordo.invalid',
      unsubscribeSecret: () => this.unsubscribeSecret(),
      trackingSecret: () => this.trackingSecret(),
      random: Math.random,
    };
    if (n.unsubscribeSecret) this.secret = Promise.resolve(n.unsubscribeSecret);
    this.consumer = new NotificationConsumer(this.deps);
    this.retryTask = new PeriodicTask('notification-retry', config.timerIntervalMs, () => retryDueNotifications(this.deps));
  }

  /** The configured secret, else the key generated in the database (read once). */
  unsubscribeSecret(): Promise<string> {
    this.secret ??= storedUnsubscribeKey(this.deps.db).catch((err: unknown) => {
      this.secret = undefined;
      throw err;
    });
    return this.secret;
  }

  /**
   * ORDO_TRACKING_SECRET, else a key derived from the unsubscribe key (one stored secret serves both),
   * derived once: every confirmation e-mail signs a tracking link with it.
   */
  trackingSecret(): Promise<string> {
    this.tracking ??= this.unsubscribeSecret().then(
      (key) => trackingKey(this.trackingSecretConfigured, key),
      (err: unknown) => {
        this.tracking = undefined;
        throw err;
      },
    );
    return this.tracking;
  }
}
