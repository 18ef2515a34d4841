-- Events out: the dispatcher's durable cursors and leases, webhook subscriptions, their deliveries
-- (durable retry timers) and the log of every delivery attempt.

-- One row per named consumer of the outbox (webhooks, nats, notifications...). `position` is the last
-- event handled; it only moves after the consumer's handle() succeeded (at-least-once). The lease makes
-- one Ordo process at a time run a consumer; it is timed by the database clock, shared by all processes.
CREATE TABLE event_consumer (
  name          text PRIMARY KEY,
  position      bigint NOT NULL DEFAULT 0 CHECK (position >= 0),
  lease_owner   text,
  lease_until   timestamptz,
  failures      integer NOT NULL DEFAULT 0,
  retry_at      timestamptz,
  last_error    text,
  last_error_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_subscription (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url          text NOT NULL,
  description  text,
  -- Exact types ('order.shipped'), families ('order.*') or everything ('*').
  event_types  text[] NOT NULL CHECK (cardinality(event_types) > 0),
  -- Signing key, needed in clear to sign; shown once at creation.
  secret       text NOT NULL,
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 50),
  timeout_ms   integer NOT NULL CHECK (timeout_ms BETWEEN 100 AND 60000),
  -- Live delivery covers events after this position (the head of the log at creation).
  start_after  bigint NOT NULL,
  -- A replay in progress re-enqueues the events in (replay_after, replay_until].
  replay_after bigint,
  replay_until bigint,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((replay_after IS NULL) = (replay_until IS NULL))
);
CREATE INDEX webhook_subscription_replay_idx ON webhook_subscription (id) WHERE replay_after IS NOT NULL;

-- One row per (subscription, event): its state, its durable retry timer and a summary of the last attempt.
-- A claim (claimed_by/claimed_until, database clock) keeps two processes from sending it at once; a claim
-- left by a killed process expires and the delivery is sent again (at-least-once, same event id).
CREATE TABLE webhook_delivery (
  id               bigserial PRIMARY KEY,
  subscription_id  uuid NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
  event_id         uuid NOT NULL,
  position         bigint NOT NULL,
  event_type       text NOT NULL,
  -- aggregate_type/aggregate_id: deliveries of one aggregate go out one at a time, in position order.
  aggregate_key    text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  -- Attempts in the current round (reset by a requeue or a replay); the attempt log keeps them all.
  attempts         integer NOT NULL DEFAULT 0,
  total_attempts   integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  claimed_by       text,
  claimed_until    timestamptz,
  last_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  last_duration_ms integer,
  delivered_at     timestamptz,
  dead_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_delivery_head_idx ON webhook_delivery (subscription_id, aggregate_key, position) WHERE status = 'pending';
CREATE INDEX webhook_delivery_log_idx ON webhook_delivery (subscription_id, id);
CREATE INDEX webhook_delivery_dead_idx ON webhook_delivery (subscription_id, id) WHERE status = 'dead';

-- Every HTTP attempt, successful or not (the delivery log).
CREATE TABLE webhook_attempt (
  id               bigserial PRIMARY KEY,
  delivery_id      bigint NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
  attempt          integer NOT NULL,
  started_at       timestamptz NOT NULL,
  duration_ms      integer NOT NULL,
  status_code      integer,
  error            text,
  response_excerpt text
);
CREATE INDEX webhook_attempt_delivery_idx ON webhook_attempt (delivery_id, id);
