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
import type { EventConsumer } from './modules/dispatch/event-consumer.js';
import { DispatcherTask, EventDispatcher } from './modules/dispatch/event-dispatcher.js';

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
  /** Runs the outbox consumers (webhooks, NATS, notifications) from their durable cursors. */
  dispatcher: EventDispatcher;
  /** Jobs main.ts starts after listening and stops on shutdown (tests call their tick()). */
  tasks: PeriodicTask[];
}

export function createContext(config: Config, database: Database, clock: Clock): OrdoContext {
  const availability = new AvailabilityView(database.db);
  // Outbox consumers, one line each; each keeps its own durable cursor (see modules/dispatch).
  const consumers: EventConsumer[] = [];
  const dispatcher = new EventDispatcher(database.db, consumers, config.dispatch);
  return {
    config,
    database,
    db: database.db,
    clock,
    authenticator: new KeyAuthenticator(database.db, config.adminKey),
    availability,
    reservations: new ReservationService(database.db, clock),
    dispatcher,
    tasks: [
      new PeriodicTask('availability-view', config.pollIntervalMs, () => availability.refresh()),
      new PeriodicTask('event-sequencer', config.pollIntervalMs, () => sequenceEvents(database.db)),
      new DispatcherTask(dispatcher, config.dispatch.intervalMs),
      new PeriodicTask('reservation-expiry', config.timerIntervalMs, () => expireDueHolds({ db: database.db, clock })),
      ...(config.inventoryCheckIntervalMs > 0 ? [inventoryCheckTask({ db: database.db, clock, config })] : []),
    ],
  };
}
