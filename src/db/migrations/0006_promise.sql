-- Delivery promise: per-location cut-offs and processing time, carriers with their services (lanes,
-- transit distributions, rates), observed deliveries the transit distributions learn from, promise
-- holds behind the tokens given at checkout, and each location's daily pick load.

ALTER TABLE location
  ADD COLUMN cutoffs             jsonb NOT NULL DEFAULT '{}'::jsonb,  -- { standard?: 'HH:MM', express?, same_day? }
  ADD COLUMN processing_days     integer CHECK (processing_days BETWEEN 0 AND 30),       -- NULL: the type's default
  ADD COLUMN pickup_prep_minutes integer CHECK (pickup_prep_minutes BETWEEN 0 AND 10080); -- NULL: the type's default

-- One document per carrier: its services (standard / express / same_day) with where they collect and
-- deliver, pick-up and delivery days, cut-off, lanes with transit distributions, and rates by weight band.
CREATE TABLE carrier (
  id                     text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  name                   text NOT NULL,
  tracking_url_template  text,
  services               jsonb NOT NULL DEFAULT '[]'::jsonb,
  active                 boolean NOT NULL DEFAULT true,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Deliveries as they happened: the evidence the transit distributions are learned from.
-- A shipment reported twice counts once (unique shipment reference per carrier).
CREATE TABLE transit_observation (
  id                  bigserial PRIMARY KEY,
  carrier_id          text COLLATE "C" NOT NULL REFERENCES carrier (id),
  service             text NOT NULL CHECK (service IN ('standard', 'express', 'same_day')),
  lane                text NOT NULL,             -- '<country>:<max distance km>' of the lane it fell in
  shipment_reference  text NOT NULL,
  origin_location_id  text COLLATE "C",
  departed_on         date NOT NULL,
  delivered_on        date NOT NULL,
  transit_days        integer NOT NULL CHECK (transit_days >= 0),   -- carrier delivery days, as promised
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (carrier_id, shipment_reference)
);
CREATE INDEX transit_observation_lane_idx ON transit_observation (carrier_id, service, lane, id);

-- Promise settings: one row, the defaults locations and services fall back to.
CREATE TABLE promise_settings (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  settings   jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Units each location has committed to pick on a local day (held promises, then fulfillments).
-- Guarded increments keep it within the location's daily pick capacity.
CREATE TABLE location_pick_load (
  location_id text COLLATE "C" NOT NULL REFERENCES location (id),
  day         date NOT NULL,
  units       integer NOT NULL DEFAULT 0 CHECK (units >= 0),
  PRIMARY KEY (location_id, day)
);

-- A promise option held at checkout: its stock (a reservation hold) and its pick load, until an order
-- consumes the token or the hold expires.
CREATE TABLE promise_hold (
  token        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hold_id      uuid,                       -- reservation hold of the stock (none for a pre-order only)
  channel_id   text NOT NULL,
  cart_hash    text NOT NULL,              -- lines the option was computed for
  destination  jsonb NOT NULL,
  option       jsonb NOT NULL,             -- the option exactly as shown: dates, shipments, cost
  pick_load    jsonb NOT NULL DEFAULT '[]'::jsonb,  -- [{ locationId, day, units }] to give back on expiry
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'consumed', 'released', 'expired')),
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL,
  ended_at     timestamptz,
  order_id     text
);
CREATE INDEX promise_hold_expiry_idx ON promise_hold (expires_at) WHERE status = 'active';
