-- Fulfillment: the work orders each location receives (ship to a customer, prepare a pickup, or send a
-- transfer to the pickup store), their lines, the parcels and labels they ship with, and what each
-- location's track record (rejections, short picks, late shipments) teaches sourcing.

-- One per location per allocation decision. A pickup fulfillment lives at the pickup store; the transfers
-- that feed it point at it and add their units to it when they are received.
CREATE TABLE fulfillment_order (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number                   text NOT NULL UNIQUE,            -- <order number>-F<n>, what the store sees
  order_id                 uuid NOT NULL REFERENCES sales_order (id),
  location_id              text COLLATE "C" NOT NULL REFERENCES location (id),
  kind                     text NOT NULL CHECK (kind IN ('ship', 'pickup', 'transfer')),
  status                   text NOT NULL CHECK (status IN ('pending', 'accepted', 'picked', 'packed', 'shipped', 'delivered',
                                                           'ready_for_pickup', 'collected', 'received', 'rejected', 'cancelled')),
  drop_ship                boolean NOT NULL DEFAULT false,  -- a supplier ships it to the customer
  destination_location_id  text COLLATE "C" REFERENCES location (id),  -- transfer: the pickup store
  pickup_fulfillment_id    uuid REFERENCES fulfillment_order (id),     -- transfer: the pickup it feeds
  service                  text,
  planned_carrier          jsonb,                           -- the carrier quote the promise chose
  -- The promise for this fulfillment: dates as the promise shipment gave them, the instant by which it
  -- must leave (ship, transfer) or be ready (pickup); priority in the queue comes from due_at.
  promised_earliest        text,
  promised_latest          text,
  confidence               double precision,
  due_at                   timestamptz,
  accept_by                timestamptz,                     -- not accepted by then: re-routed automatically
  parcels                  jsonb NOT NULL DEFAULT '[]'::jsonb,
  shipment                 jsonb,                           -- carrier, service, tracking number and URL, label id
  pickup_code              text,
  pickup_attempts          integer NOT NULL DEFAULT 0,
  pickup_locked_until      timestamptz,
  hold_until               timestamptz,                     -- ready for pickup until then
  reminder_sent_at         timestamptz,
  reject_reason            text,
  note                     text,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  accepted_at              timestamptz,
  picked_at                timestamptz,
  packed_at                timestamptz,
  shipped_at               timestamptz,
  delivered_at             timestamptz,
  ready_at                 timestamptz,
  collected_at             timestamptz,
  ended_at                 timestamptz                      -- rejected, cancelled, delivered, received or collected
);
CREATE INDEX fulfillment_order_queue_idx ON fulfillment_order (location_id, status, due_at, id);
CREATE INDEX fulfillment_order_order_idx ON fulfillment_order (order_id);
CREATE INDEX fulfillment_order_accept_idx ON fulfillment_order (accept_by) WHERE status = 'pending';
CREATE INDEX fulfillment_order_hold_idx ON fulfillment_order (hold_until) WHERE status = 'ready_for_pickup';

-- Each line is one allocation's units; picked_quantity is what the location found.
CREATE TABLE fulfillment_line (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  fulfillment_id   uuid NOT NULL REFERENCES fulfillment_order (id),
  order_line_id    uuid NOT NULL REFERENCES order_line (id),
  allocation_id    uuid NOT NULL REFERENCES order_allocation (id),
  sku              text COLLATE "C" NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  picked_quantity  integer CHECK (picked_quantity >= 0 AND picked_quantity <= quantity)
);
CREATE INDEX fulfillment_line_fulfillment_idx ON fulfillment_line (fulfillment_id);
CREATE UNIQUE INDEX fulfillment_line_allocation_idx ON fulfillment_line (allocation_id);

-- A shipping label as the carrier adapter produced it (PDF), printable from the store app.
CREATE TABLE shipping_label (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  fulfillment_id  uuid NOT NULL REFERENCES fulfillment_order (id),
  carrier_id      text NOT NULL,
  tracking_number text NOT NULL,
  format          text NOT NULL DEFAULT 'pdf',
  content         bytea NOT NULL,
  created_at      timestamptz NOT NULL
);
CREATE INDEX shipping_label_fulfillment_idx ON shipping_label (fulfillment_id);

-- What a location's fulfillments taught: its data reliability (location.data_reliability, which sourcing
-- and safety stock read) is recomputed from these counts.
CREATE TABLE location_performance (
  location_id     text COLLATE "C" PRIMARY KEY REFERENCES location (id),
  fulfillments    integer NOT NULL DEFAULT 0,   -- fulfillments that ended (shipped, ready, rejected...)
  rejections      integer NOT NULL DEFAULT 0,
  short_picks     integer NOT NULL DEFAULT 0,
  late_shipments  integer NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL
);

-- Store operations settings (one row): acceptance time-out, pickup hold, reminders, pickup code attempts.
CREATE TABLE fulfillment_settings (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  settings    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text NOT NULL
);

-- Allocations now point at the fulfillment that serves them; transferred units end 'transferred' at the
-- source (the pickup store holds them from then on); units a short pick did not find end 'missing'.
ALTER TABLE order_allocation ADD COLUMN fulfillment_id uuid REFERENCES fulfillment_order (id);
ALTER TABLE order_allocation DROP CONSTRAINT order_allocation_status_check;
ALTER TABLE order_allocation ADD CONSTRAINT order_allocation_status_check
  CHECK (status IN ('reserved', 'backordered', 'fulfilled', 'released', 'transferred', 'missing'));
CREATE INDEX order_allocation_fulfillment_idx ON order_allocation (fulfillment_id) WHERE fulfillment_id IS NOT NULL;

-- Units of a line that could not be served anywhere after a rejection or short pick are cancelled alone.
ALTER TABLE order_line ADD COLUMN cancelled_quantity integer NOT NULL DEFAULT 0 CHECK (cancelled_quantity >= 0);
ALTER TABLE order_line ADD CONSTRAINT order_line_cancelled_quantity_check2 CHECK (cancelled_quantity <= quantity);
