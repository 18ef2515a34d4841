-- Returns anywhere: what a customer sends or brings back (any store with the `returns` capability, a
-- warehouse, or by mail with a return label), how it is resolved (refund, exchange, store credit), the
-- policies that decide windows and money, the units received damaged (never sellable), and store credit.

-- Policies per channel and/or country; the most specific row wins, the code's defaults stand in for none.
CREATE TABLE return_policy (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id           text COLLATE "C" REFERENCES channel (id),   -- NULL: every channel
  country              text CHECK (country ~ '^[A-Z]{2}$'),        -- NULL: every country
  window_days          integer NOT NULL CHECK (window_days BETWEEN 0 AND 365),
  arrival_days         integer NOT NULL CHECK (arrival_days BETWEEN 1 AND 120),
  refund_shipping      boolean NOT NULL,
  auto_refund          boolean NOT NULL,
  unreturned_exchange  text NOT NULL CHECK (unreturned_exchange IN ('cancel', 'charge')),
  updated_at           timestamptz NOT NULL,
  updated_by           text NOT NULL
);
CREATE UNIQUE INDEX return_policy_scope_idx ON return_policy ((coalesce(channel_id, '')), (coalesce(country, '')));

-- Human return numbers RET-<year>-<6 digits>.
CREATE SEQUENCE sales_return_number_seq;

CREATE TABLE sales_return (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number                 text NOT NULL UNIQUE,
  order_id               uuid NOT NULL REFERENCES sales_order (id),
  channel_id             text COLLATE "C" NOT NULL REFERENCES channel (id),   -- where the return was taken
  destination_kind       text NOT NULL CHECK (destination_kind IN ('store', 'warehouse', 'mail')),
  location_id            text COLLATE "C" NOT NULL REFERENCES location (id),  -- where the units come back
  destination_reason     jsonb,                   -- mail: why this location was proposed
  resolution             text NOT NULL CHECK (resolution IN ('refund', 'exchange', 'store_credit')),
  status                 text NOT NULL CHECK (status IN ('requested', 'received', 'refunded', 'closed', 'cancelled')),
  currency               text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  policy                 jsonb NOT NULL,          -- the policy as resolved when the return was requested
  return_by              timestamptz NOT NULL,    -- the units must arrive by then
  -- Exchange: the replacement order (placed and reserved with the return), the credit it was given
  -- (its order discount), the payment to charge if the units never come back, and how it ended.
  exchange_order_id      uuid REFERENCES sales_order (id),
  exchange_credit_minor  bigint NOT NULL DEFAULT 0 CHECK (exchange_credit_minor >= 0),
  exchange_payment       jsonb,
  exchange_outcome       text CHECK (exchange_outcome IN ('pending', 'returned', 'cancelled', 'charged', 'unsettled')),
  -- Money once settled: refunded through the payments, of which the delivery fee; store credit; charged.
  refund_minor           bigint NOT NULL DEFAULT 0 CHECK (refund_minor >= 0),
  shipping_refund_minor  bigint NOT NULL DEFAULT 0 CHECK (shipping_refund_minor >= 0),
  unsettled_minor        bigint NOT NULL DEFAULT 0 CHECK (unsettled_minor >= 0),
  credit_minor           bigint NOT NULL DEFAULT 0 CHECK (credit_minor >= 0),
  charged_minor          bigint NOT NULL DEFAULT 0 CHECK (charged_minor >= 0),
  note                   text,
  cancel_reason          text,
  created_by             text NOT NULL,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  received_at            timestamptz,
  settled_at             timestamptz,
  cancelled_at           timestamptz,
  CHECK ((exchange_order_id IS NULL) = (resolution <> 'exchange'))
);
CREATE INDEX sales_return_order_idx ON sales_return (order_id);
CREATE INDEX sales_return_list_idx ON sales_return (created_at DESC, id DESC);
CREATE INDEX sales_return_location_idx ON sales_return (location_id, created_at DESC);
CREATE INDEX sales_return_due_idx ON sales_return (return_by) WHERE status = 'requested';
CREATE INDEX sales_return_exchange_idx ON sales_return (exchange_order_id) WHERE exchange_order_id IS NOT NULL;
CREATE INDEX sales_return_pending_idx ON sales_return (id) WHERE exchange_outcome = 'pending';

-- One per order line returned. The conditions are known once received (they add up to the quantity);
-- value_minor is what the units accepted (resellable + damaged) are worth, refunded or credited.
CREATE TABLE return_line (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  return_id            uuid NOT NULL REFERENCES sales_return (id),
  order_line_id        uuid NOT NULL REFERENCES order_line (id),
  sku                  text COLLATE "C" NOT NULL,
  quantity             integer NOT NULL CHECK (quantity > 0),
  reason               text NOT NULL,
  resellable_quantity  integer CHECK (resellable_quantity >= 0),
  damaged_quantity     integer CHECK (damaged_quantity >= 0),
  missing_quantity     integer CHECK (missing_quantity >= 0),
  value_minor          bigint NOT NULL DEFAULT 0 CHECK (value_minor >= 0),
  note                 text,
  CHECK ((resellable_quantity IS NULL AND damaged_quantity IS NULL AND missing_quantity IS NULL)
      OR resellable_quantity + damaged_quantity + missing_quantity = quantity)
);
CREATE INDEX return_line_return_idx ON return_line (return_id);
CREATE INDEX return_line_order_line_idx ON return_line (order_line_id);

-- The return label of a mail return, as the carrier adapter produced it.
CREATE TABLE return_label (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  return_id        uuid NOT NULL REFERENCES sales_return (id),
  carrier_id       text NOT NULL,
  service          text NOT NULL,
  tracking_number  text NOT NULL UNIQUE,
  tracking_url     text,
  content          bytea NOT NULL,
  created_at       timestamptz NOT NULL
);
CREATE INDEX return_label_return_idx ON return_label (return_id);

-- Units received damaged: at the location, never on hand, never in ATP. The inventory ledger shows them
-- arriving ('return') and set aside ('damaged') in the same transaction.
CREATE TABLE damaged_stock (
  sku          text COLLATE "C" NOT NULL REFERENCES product (sku),
  location_id  text COLLATE "C" NOT NULL REFERENCES location (id),
  quantity     integer NOT NULL CHECK (quantity >= 0),
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (sku, location_id)
);

-- Store credit: a ledger per customer and currency (the balance is the sum).
CREATE TABLE store_credit_entry (
  id            bigserial PRIMARY KEY,
  customer_id   uuid NOT NULL REFERENCES customer (id),
  currency      text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount_minor  bigint NOT NULL CHECK (amount_minor <> 0),
  return_id     uuid REFERENCES sales_return (id),
  reason        text NOT NULL,
  actor         text NOT NULL,
  occurred_at   timestamptz NOT NULL
);
CREATE INDEX store_credit_entry_customer_idx ON store_credit_entry (customer_id, currency);
