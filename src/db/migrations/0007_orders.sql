-- Orders: customers (one across channels), sales orders with their lines, the allocations that hold
-- each line's units at a location (or await incoming supply), payments with every provider operation,
-- and the order timeline (who changed what, when).

-- One customer across channels, matched by e-mail, else by phone (normalised in code).
CREATE TABLE customer (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email             text,
  email_key         text,                   -- lower-cased e-mail: the match key
  phone             text,
  phone_key         text,                   -- digits with a leading '+' when given
  name              text,
  locale            text,
  loyalty_id        text,
  marketing_opt_out boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (email_key IS NOT NULL OR phone_key IS NOT NULL)
);
CREATE UNIQUE INDEX customer_email_idx ON customer (email_key) WHERE email_key IS NOT NULL;
-- Without an e-mail the phone is the identity: one such customer per phone.
CREATE UNIQUE INDEX customer_phone_only_idx ON customer (phone_key) WHERE email_key IS NULL;
CREATE INDEX customer_phone_idx ON customer (phone_key) WHERE phone_key IS NOT NULL;

-- Human order numbers ORD-<year>-<6 digits> come from this sequence (gaps are fine, duplicates impossible).
CREATE SEQUENCE sales_order_number_seq;

CREATE TABLE sales_order (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number             text NOT NULL UNIQUE,
  channel_id         text COLLATE "C" NOT NULL REFERENCES channel (id),
  channel_type       text NOT NULL CHECK (channel_type IN ('web', 'app', 'pos', 'callcenter', 'social', 'marketplace')),
  external_id        text,                  -- the channel's own order id (marketplaces, imports)
  customer_id        uuid REFERENCES customer (id),
  contact            jsonb NOT NULL DEFAULT '{}'::jsonb,  -- contact as given with this order
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  delivery_method    text NOT NULL CHECK (delivery_method IN ('ship', 'pickup', 'reserve_and_collect', 'carry_out')),
  service            text CHECK (service IN ('standard', 'express', 'same_day')),
  address            jsonb,                 -- ship-to address
  pickup_location_id text COLLATE "C" REFERENCES location (id),
  origin_store_id    text COLLATE "C" REFERENCES location (id),   -- POS: the store the order was taken in
  associate          text,
  status             text NOT NULL CHECK (status IN ('pending', 'backordered', 'allocated', 'in_fulfillment', 'partially_shipped',
                                                     'shipped', 'ready_for_pickup', 'completed', 'cancelled')),
  subtotal_minor     bigint NOT NULL CHECK (subtotal_minor >= 0),
  discount_minor     bigint NOT NULL CHECK (discount_minor >= 0),
  shipping_minor     bigint NOT NULL CHECK (shipping_minor >= 0),
  total_minor        bigint NOT NULL CHECK (total_minor >= 0),
  -- The promise the customer was given: the window as instants, its confidence, the option as shown.
  promise_earliest   timestamptz,
  promise_latest     timestamptz,
  promise_confidence double precision,
  promise_option     jsonb,
  promise_token      uuid,
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  cancelled_at       timestamptz,
  cancel_reason      text,
  UNIQUE (channel_id, external_id)
);
CREATE INDEX sales_order_created_idx ON sales_order (created_at DESC, id DESC);
CREATE INDEX sales_order_customer_idx ON sales_order (customer_id, created_at DESC);
CREATE INDEX sales_order_status_idx ON sales_order (status, created_at DESC);
CREATE INDEX sales_order_origin_idx ON sales_order (origin_store_id) WHERE origin_store_id IS NOT NULL;
CREATE INDEX sales_order_pickup_idx ON sales_order (pickup_location_id) WHERE pickup_location_id IS NOT NULL;

CREATE TABLE order_line (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id             uuid NOT NULL REFERENCES sales_order (id),
  position             integer NOT NULL CHECK (position >= 1),
  sku                  text COLLATE "C" NOT NULL REFERENCES product (sku),
  name                 text NOT NULL,
  quantity             integer NOT NULL CHECK (quantity > 0),
  unit_price_minor     bigint NOT NULL CHECK (unit_price_minor >= 0),
  discount_minor       bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),        -- the line's own discount
  order_discount_minor bigint NOT NULL DEFAULT 0 CHECK (order_discount_minor >= 0),  -- its share of the order discount
  total_minor          bigint NOT NULL CHECK (total_minor >= 0),
  status               text NOT NULL CHECK (status IN ('pending', 'backordered', 'allocated', 'in_fulfillment', 'shipped',
                                                       'ready_for_pickup', 'completed', 'cancelled')),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, position)
);

-- Where a line's units come from. 'reserved' units count in stock_position.reserved (the inventory
-- invariant check adds them up); 'backordered' units wait for incoming supply; 'fulfilled' units have
-- left the location (carried out at the counter); 'released' went back to stock.
CREATE TABLE order_allocation (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id        uuid NOT NULL REFERENCES sales_order (id),
  line_id         uuid NOT NULL REFERENCES order_line (id),
  sku             text COLLATE "C" NOT NULL,
  location_id     text COLLATE "C" NOT NULL REFERENCES location (id),
  quantity        integer NOT NULL CHECK (quantity > 0),
  status          text NOT NULL CHECK (status IN ('reserved', 'backordered', 'fulfilled', 'released')),
  hold_id         uuid,                     -- the reservation hold the units came from
  reservation_id  uuid,
  transfer        boolean NOT NULL DEFAULT false,   -- goes to the pickup store first
  carrier         jsonb,
  departure_date  date,
  pick_day        date,                     -- the local day its pick load was counted on
  available_from  timestamptz,              -- backorder: when the supply arrives
  earliest        text,                     -- dates from the promise shipment (YYYY-MM-DD, or an instant for pickups)
  latest          text,
  confidence      double precision,
  created_at      timestamptz NOT NULL DEFAULT now(),
  ended_at        timestamptz
);
CREATE INDEX order_allocation_order_idx ON order_allocation (order_id);
CREATE INDEX order_allocation_reserved_idx ON order_allocation (sku, location_id) WHERE status = 'reserved';
CREATE INDEX order_allocation_location_idx ON order_allocation (location_id, order_id);

CREATE TABLE payment (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id         uuid NOT NULL REFERENCES sales_order (id),
  provider         text NOT NULL,
  reference        text NOT NULL,           -- the provider's reference of the authorisation
  currency         text NOT NULL,
  authorised_minor bigint NOT NULL CHECK (authorised_minor >= 0),
  captured_minor   bigint NOT NULL DEFAULT 0 CHECK (captured_minor >= 0),
  voided_minor     bigint NOT NULL DEFAULT 0 CHECK (voided_minor >= 0),
  refunded_minor   bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
  status           text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (captured_minor + voided_minor <= authorised_minor),
  CHECK (refunded_minor <= captured_minor)
);
CREATE INDEX payment_order_idx ON payment (order_id);

-- Every provider operation, as the provider answered it.
CREATE TABLE payment_event (
  id                 bigserial PRIMARY KEY,
  payment_id         uuid NOT NULL REFERENCES payment (id),
  operation          text NOT NULL CHECK (operation IN ('authorise', 'capture', 'void', 'refund')),
  amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
  provider_reference text NOT NULL,
  reason             text,
  actor              text NOT NULL,
  occurred_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_event_payment_idx ON payment_event (payment_id, id);

CREATE TABLE order_timeline (
  id          bigserial PRIMARY KEY,
  order_id    uuid NOT NULL REFERENCES sales_order (id),
  occurred_at timestamptz NOT NULL,
  actor       text NOT NULL,
  event       text NOT NULL,                -- order.created, line.cancelled, payment.refunded, delivery.changed...
  status_from text,
  status_to   text,
  line_id     uuid,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX order_timeline_order_idx ON order_timeline (order_id, id);
