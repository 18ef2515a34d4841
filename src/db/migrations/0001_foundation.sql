-- Foundation schema: master data, stock positions and their ledger, reservations, incoming supply,
-- feeds (applied-once event ids), API keys, idempotency keys, audit log and the transactional outbox.
-- Runs identically on PGlite and PostgreSQL.

CREATE TABLE location (
  id                  text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  name                text NOT NULL,
  type                text NOT NULL CHECK (type IN ('store', 'warehouse', 'supplier', 'marketplace_seller')),
  address             jsonb NOT NULL DEFAULT '{}'::jsonb,
  latitude            double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude           double precision CHECK (longitude BETWEEN -180 AND 180),
  time_zone           text NOT NULL,
  opening_hours       jsonb NOT NULL DEFAULT '{}'::jsonb,
  opening_exceptions  jsonb NOT NULL DEFAULT '[]'::jsonb,
  capabilities        text[] NOT NULL DEFAULT '{}',
  daily_pick_capacity integer CHECK (daily_pick_capacity >= 0),
  handling_cost_minor integer NOT NULL DEFAULT 0 CHECK (handling_cost_minor >= 0),
  priority            integer NOT NULL DEFAULT 0,
  data_reliability    double precision NOT NULL DEFAULT 1 CHECK (data_reliability BETWEEN 0 AND 1),
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE product (
  sku           text PRIMARY KEY CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$'),
  name          text NOT NULL,
  style_id      text,
  attributes    jsonb NOT NULL DEFAULT '{}'::jsonb,
  prices        jsonb NOT NULL DEFAULT '{}'::jsonb,   -- { "EUR": 2999 } minor units per ISO 4217 currency
  weight_grams  integer CHECK (weight_grams >= 0),
  backorderable boolean NOT NULL DEFAULT false,
  preorderable  boolean NOT NULL DEFAULT false,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_style_idx ON product (style_id);

CREATE TABLE channel (
  id                    text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_-]*(:[a-z0-9_-]+)?$'),
  name                  text NOT NULL,
  type                  text NOT NULL CHECK (type IN ('web', 'app', 'pos', 'callcenter', 'social', 'marketplace')),
  -- NULL: every active location; otherwise only these.
  eligible_location_ids text[],
  -- Pool rules: { maxShare?: 0..1, maxQuantity?: int, protections?: [{ channelId, quantity }] }
  pool                  jsonb NOT NULL DEFAULT '{}'::jsonb,
  active                boolean NOT NULL DEFAULT true,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Safety stock rules, most specific wins: (sku, location) > location > location type.
CREATE TABLE safety_stock_rule (
  id            bigserial PRIMARY KEY,
  sku           text REFERENCES product (sku),
  location_id   text REFERENCES location (id),
  location_type text CHECK (location_type IN ('store', 'warehouse', 'supplier', 'marketplace_seller')),
  quantity      integer NOT NULL CHECK (quantity >= 0),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((sku IS NOT NULL AND location_id IS NOT NULL AND location_type IS NULL)
      OR (sku IS NULL AND location_id IS NOT NULL AND location_type IS NULL)
      OR (sku IS NULL AND location_id IS NULL AND location_type IS NOT NULL))
);
CREATE UNIQUE INDEX safety_stock_rule_scope_idx
  ON safety_stock_rule (coalesce(sku, ''), coalesce(location_id, ''), coalesce(location_type, ''));

-- One row per (sku, location). ATP = on_hand - reserved - safety_stock, floored at 0.
-- reserved may exceed on_hand after a feed lowers on hand below open reservations: that is reported,
-- never hidden, and no new reservation is granted until it is covered again.
CREATE TABLE stock_position (
  sku          text NOT NULL REFERENCES product (sku),
  location_id  text NOT NULL REFERENCES location (id),
  on_hand      integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved     integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  safety_stock integer NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
  -- Newest source time of an absolute set: an older message never overwrites newer state.
  last_set_at  timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- Transaction that last wrote the row: readers follow committed changes with it (see availability view).
  updated_xid  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (sku, location_id)
) WITH (fillfactor = 70);
CREATE INDEX stock_position_location_idx ON stock_position (location_id);
CREATE INDEX stock_position_xid_idx ON stock_position (updated_xid);

CREATE FUNCTION stock_position_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_xid := pg_current_xact_id();
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER stock_position_touch BEFORE UPDATE ON stock_position
  FOR EACH ROW EXECUTE FUNCTION stock_position_touch();

-- Append-only ledger: every change of on_hand or reserved, with before/after, cause, source and actor.
CREATE TABLE inventory_ledger (
  id              bigserial PRIMARY KEY,
  sku             text NOT NULL,
  location_id     text NOT NULL,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  cause           text NOT NULL,   -- set | movement | snapshot | reservation | release | expiry | consume | compensation
  on_hand_before  integer NOT NULL,
  on_hand_after   integer NOT NULL,
  reserved_before integer NOT NULL,
  reserved_after  integer NOT NULL,
  source          text,            -- feed name, event id, reservation id...
  reference       text,
  actor           text NOT NULL
);
CREATE INDEX inventory_ledger_position_idx ON inventory_ledger (sku, location_id, id);

-- Feed messages applied once: a replayed event id is reported as a duplicate and changes nothing.
CREATE TABLE inventory_feed_event (
  event_id    text PRIMARY KEY,
  sku         text NOT NULL,
  location_id text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reservation (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hold_id     uuid NOT NULL,          -- the cart hold it belongs to (one hold, several lines)
  sku         text NOT NULL,
  location_id text NOT NULL,
  channel_id  text,
  quantity    integer NOT NULL CHECK (quantity > 0),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'expired', 'consumed')),
  reference   text,                   -- cart or order reference given by the client
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  ended_by    text,
  FOREIGN KEY (sku, location_id) REFERENCES stock_position (sku, location_id)
);
CREATE INDEX reservation_hold_idx ON reservation (hold_id);
CREATE INDEX reservation_expiry_idx ON reservation (expires_at) WHERE status = 'active';
CREATE INDEX reservation_position_idx ON reservation (sku, location_id) WHERE status = 'active';

-- Purchase orders and transfers on their way, for "ATP by date" (pre-orders, backorders).
CREATE TABLE incoming_supply (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind        text NOT NULL CHECK (kind IN ('purchase_order', 'transfer')),
  reference   text NOT NULL,
  sku         text NOT NULL REFERENCES product (sku),
  location_id text NOT NULL REFERENCES location (id),
  quantity    integer NOT NULL CHECK (quantity > 0),
  expected_at timestamptz NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received', 'cancelled')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, reference, sku, location_id)
);
CREATE INDEX incoming_supply_sku_idx ON incoming_supply (sku, expected_at) WHERE status = 'open';

CREATE TABLE api_key (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  key_hash     text NOT NULL UNIQUE,    -- sha256 of the secret; the secret is shown once
  key_prefix   text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'integration', 'ops', 'service', 'store')),
  location_ids text[] NOT NULL DEFAULT '{}',
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  CHECK (role <> 'store' OR cardinality(location_ids) > 0)
);

-- A replayed Idempotency-Key returns the stored response and writes nothing.
CREATE TABLE idempotency_key (
  scope         text NOT NULL,          -- method + route + caller
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer NOT NULL,
  response_body jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- Who changed which master data, and how.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text NOT NULL,
  before      jsonb,
  after       jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id);

-- Transactional outbox. `position` is given after commit by the sequencer, in an order readers can
-- follow without ever skipping a row committed late (see db/outbox.ts).
CREATE TABLE outbox_event (
  id             bigserial PRIMARY KEY,
  event_id       uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  type           text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id   text NOT NULL,
  payload        jsonb NOT NULL,
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  xid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
  position       bigint UNIQUE
);
CREATE INDEX outbox_event_unpositioned_idx ON outbox_event (id) WHERE position IS NULL;

-- Durable timers for jobs that must survive a restart (scheduled checks, retries).
CREATE TABLE job_run (
  name        text PRIMARY KEY,
  last_run_at timestamptz,
  next_run_at timestamptz NOT NULL,
  last_result jsonb
);
