-- Release hold and merged shipments (issue 4 §6). A ship fulfillment may be created `held` until
-- `release_at`: the stores never see it, and a periodic batch re-plans the held orders together before
-- releasing them (pending). At release, held work of one customer to one address and service at one
-- location may be consolidated: every merged fulfillment keeps its own order and lines, and points at the
-- lead fulfillment it is picked, packed and shipped with (one parcel set, one tracking number).
ALTER TABLE fulfillment_order DROP CONSTRAINT fulfillment_order_status_check;
ALTER TABLE fulfillment_order ADD CONSTRAINT fulfillment_order_status_check
  CHECK (status IN ('held', 'pending', 'accepted', 'picked', 'packed', 'shipped', 'delivered',
                    'ready_for_pickup', 'collected', 'received', 'rejected', 'cancelled'));
ALTER TABLE fulfillment_order ADD COLUMN release_at timestamptz;
ALTER TABLE fulfillment_order ADD COLUMN released_at timestamptz;
ALTER TABLE fulfillment_order ADD COLUMN merged_into_id uuid REFERENCES fulfillment_order (id);
ALTER TABLE fulfillment_order ADD CONSTRAINT fulfillment_order_held_release_check CHECK (status <> 'held' OR release_at IS NOT NULL);
CREATE INDEX fulfillment_order_release_idx ON fulfillment_order (release_at, id) WHERE status = 'held';
CREATE INDEX fulfillment_order_merged_idx ON fulfillment_order (merged_into_id) WHERE merged_into_id IS NOT NULL;
