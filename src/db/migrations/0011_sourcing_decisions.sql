-- Sourcing explanations and routing policies.

-- Routing policies: named overrides of the sourcing cost model (split penalty, handling and preference per
-- location type, cost per km, shipment limit, ship-complete, excluded location types). A policy is never
-- edited in place: each change is a new immutable version, so every decision names the exact rules it
-- was made under.
CREATE TABLE routing_policy (
  id              text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  latest_version  integer NOT NULL CHECK (latest_version >= 0),  -- 0 only inside the transaction creating it
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

CREATE TABLE routing_policy_version (
  policy_id    text COLLATE "C" NOT NULL REFERENCES routing_policy (id),
  version      integer NOT NULL CHECK (version >= 1),
  name         text NOT NULL,
  description  text NOT NULL DEFAULT '',
  rules        jsonb NOT NULL,
  created_at   timestamptz NOT NULL,
  created_by   text NOT NULL,
  PRIMARY KEY (policy_id, version)
);

-- Which policy sources a channel's orders for one delivery method; a NULL version follows the latest.
-- Without an assignment the stored policy 'default' applies, else the promise settings alone.
CREATE TABLE routing_policy_assignment (
  channel_id       text NOT NULL REFERENCES channel (id),
  delivery_method  text NOT NULL CHECK (delivery_method IN ('ship', 'pickup', 'reserve_and_collect')),
  policy_id        text COLLATE "C" NOT NULL REFERENCES routing_policy (id),
  pinned_version   integer,
  updated_at       timestamptz NOT NULL,
  updated_by       text NOT NULL,
  PRIMARY KEY (channel_id, delivery_method),
  FOREIGN KEY (policy_id, pinned_version) REFERENCES routing_policy_version (policy_id, version)
);

-- One row per sourcing decision of an order (placement, delivery change, pickup store switch, re-route,
-- backorder served), written in the transaction of the allocations it made: the units, the chosen plan
-- and its costs, the alternatives and why they lost, the locations excluded and why, the optimality gap,
-- the method and the routing policy version.
CREATE TABLE sourcing_decision (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The order of decisions (several may share a clock instant); an order's decisions are serialised by its row lock.
  seq             bigint GENERATED ALWAYS AS IDENTITY,
  order_id        uuid NOT NULL REFERENCES sales_order (id),
  decided_at      timestamptz NOT NULL,
  actor           text NOT NULL,
  trigger         text NOT NULL CHECK (trigger IN ('order_placed', 'delivery_changed', 'pickup_store_changed', 'rerouted', 'backorder_served')),
  cause           text,                          -- re-routes: rejected | timeout | short_pick
  fulfillment_id  uuid REFERENCES fulfillment_order (id),  -- re-routes: the fulfillment that gave the units up
  option_id       text,
  units           jsonb NOT NULL,
  shipments       jsonb NOT NULL,
  total_cost_minor integer,
  costs           jsonb,
  candidates      integer,
  alternatives    jsonb NOT NULL DEFAULT '[]'::jsonb,
  excluded        jsonb NOT NULL DEFAULT '[]'::jsonb,
  unserved        jsonb NOT NULL DEFAULT '[]'::jsonb,
  optimal         boolean,
  gap             double precision CHECK (gap >= 0 AND gap <= 1),
  method          text NOT NULL,
  policy_id       text COLLATE "C",
  policy_version  integer,                       -- 0: the built-in default (promise settings alone)
  policy_name     text,
  currency        text NOT NULL
);
CREATE INDEX sourcing_decision_order_idx ON sourcing_decision (order_id, seq);

ALTER TABLE order_allocation ADD COLUMN decision_id uuid REFERENCES sourcing_decision (id);
