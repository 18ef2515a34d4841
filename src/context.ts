import type { Config } from './config.js';
import type { Database, Db } from './db/database.js';
import type { Clock } from './domain/shared/clock.js';
import { PeriodicTask } from './background.js';
import { sequenceEvents } from './db/outbox.js';
import { KeyAuthenticator } from './modules/access/api-keys.js';
import { inventoryCheckTask } from './modules/inventory/inventory-check.task.js';
import { AvailabilityView } from './modules/availability/availability-view.js';
import { expireDueHolds } from './modules/reservations/expire-holds.js';
import { ReservationService } from './modules/reservations/reservation.service.js';
import { PromiseData } from './modules/promise/promise-data.js';
import { expireDuePromises } from './modules/promise/expire-promise-holds.js';
import { slaWatchTask } from './modules/promise/sla-watch.job.js';
import type { EventConsumer } from './modules/dispatch/event-consumer.js';
import { DispatcherTask, EventDispatcher } from './modules/dispatch/event-dispatcher.js';
import { NotificationService } from './modules/notifications/notification-service.js';
import { NatsPublisher } from './modules/nats/nats-publisher.js';
import { WebhookFanOut } from './modules/webhooks/webhook-fan-out.js';
import { WebhookSender, WebhookSenderTask } from './modules/webhooks/webhook-sender.js';
import { defaultPaymentProviders, type PaymentProviders } from './modules/payments/payment-provider.js';
import { expireUncollectedPickups, sendPickupReminders } from './modules/fulfillment/pickup-holds.js';
import { rerouteUnacceptedFulfillments } from './modules/fulfillment/acceptance-timeout.js';
import { cancelOverdueReturns } from './modules/returns/overdue-returns.js';
import { ShortfallResolver } from './modules/fulfillment/resolve-shortfalls.js';
import { ReleaseMetrics, releaseTask } from './modules/fulfillment/release.task.js';
import { embeddedVacuumTask } from './db/embedded-vacuum.js';

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
  /** In-memory ATP read model, refreshed by the `availability-view` task. */
  availability: AvailabilityView;
  /** Cart holds, with the per-SKU batcher (one per process). */
  reservations: ReservationService;
  /** Locations, carriers, learned transit and settings for the delivery promise (cached, version-checked). */
  promiseData: PromiseData;
  /** Runs the outbox consumers (webhooks, NATS, notifications) from their durable cursors. */
  dispatcher: EventDispatcher;
  /** Customer e-mails and SMS: the outbox consumer, the retry task and the unsubscribe key. */
  notifications: NotificationService;
  /** Sends due webhook deliveries (durable retry timers in webhook_delivery). */
  webhookSender: WebhookSender;
  /** Payment providers by id (`manual` built in). */
  payments: PaymentProviders;
  /** Frees what stock feeds left oversold (reserved > on hand); feeds wake its task after they commit. */
  shortfalls: ShortfallResolver;
  /** Counters of the held-work release task (batch re-optimisation, merges), for /metrics. */
  releaseMetrics: ReleaseMetrics;
  /** Jobs main.ts starts after listening and stops on shutdown (tests call their tick()). */
  tasks: PeriodicTask[];
}

export function createContext(config: Config, database: Database, clock: Clock): OrdoContext {
  const availability = new AvailabilityView(database.db);
  const promiseData = new PromiseData(database.db, clock, config.pollIntervalMs);
  const payments = defaultPaymentProviders();
  const shortfalls = new ShortfallResolver({ db: database.db, clock, availability, data: promiseData, payments }, config);
  const releaseMetrics = new ReleaseMetrics();
  const notifications = new NotificationService(config, database.db, clock);
  // Outbox consumers, one line each; each keeps its own durable cursor (see modules/dispatch).
  const consumers: EventConsumer[] = [
    notifications.consumer,
    new WebhookFanOut(database.db, clock),
    ...(config.nats ? [new NatsPublisher(config.nats)] : []),
  ];
  const dispatcher = new EventDispatcher(database.db, consumers, config.dispatch);
  const webhookSender = new WebhookSender(database.db, clock, {
    retry: { baseMs: config.webhooks.retryBaseMs, maxMs: config.webhooks.retryMaxMs },
    concurrency: config.webhooks.concurrency,
    claimMarginMs: config.dispatch.leaseMs,
    replayBatchSize: config.dispatch.batchSize,
  });
  return {
    config,
    database,
    db: database.db,
    clock,
    authenticator: new KeyAuthenticator(database.db, config.adminKey),
    availability,
    reservations: new ReservationService(database.db, clock),
    promiseData,
    dispatcher,
    webhookSender,
    notifications,
    payments,
    shortfalls,
    releaseMetrics,
    tasks: [
      new PeriodicTask('availability-view', config.pollIntervalMs, () => availability.refresh(), undefined, true),
      new PeriodicTask('promise-quote-inputs', config.pollIntervalMs, () => promiseData.quotes.refresh(), undefined, true),
      new PeriodicTask('event-sequencer', config.pollIntervalMs, () => sequenceEvents(database.db)),
      new DispatcherTask(dispatcher, config.dispatch.intervalMs),
      notifications.retryTask,
      new WebhookSenderTask(webhookSender, config.dispatch.intervalMs),
      new PeriodicTask('reservation-expiry', config.timerIntervalMs, () => expireDueHolds({ db: database.db, clock })),
      new PeriodicTask('promise-hold-expiry', config.timerIntervalMs, () => expireDuePromises({ db: database.db, clock })),
      slaWatchTask({ db: database.db, clock, promiseData, config }),
      new PeriodicTask('pickup-reminder', config.timerIntervalMs, () => sendPickupReminders({ db: database.db, clock })),
      new PeriodicTask('pickup-expiry', config.timerIntervalMs, () => expireUncollectedPickups({ db: database.db, clock, availability, data: promiseData, payments })),
      shortfalls.task,
      new PeriodicTask('fulfillment-acceptance-timeout', config.timerIntervalMs, () => rerouteUnacceptedFulfillments({ db: database.db, clock, availability, data: promiseData, payments })),
      releaseTask({ db: database.db, clock, availability, data: promiseData, payments, config, metrics: releaseMetrics }),
      new PeriodicTask('return-deadline', config.timerIntervalMs, () => cancelOverdueReturns({ db: database.db, clock, availability, data: promiseData, payments })),
      ...(config.inventoryCheckIntervalMs > 0 ? [inventoryCheckTask({ db: database.db, clock, config })] : []),
      ...(database.kind === 'pglite' && config.embeddedVacuumIntervalMs > 0 ? [embeddedVacuumTask(database.db, config)] : []),
    ],
  };
}
