-- Re-sourcing when a stock feed lowers on hand under what is reserved (issue 4 §6, "reservations are
-- lost"). The oversold positions are the work list of the shortfall resolver: the partial index finds
-- them without scanning every position (an entry exists only while reserved > on hand).
CREATE INDEX stock_position_oversold_idx ON stock_position (sku, location_id) WHERE reserved > on_hand;

-- What the resolver last saw of a position it could not fully resolve (every remaining unit picked,
-- packed or otherwise out of reach): the position's updated_xid then. The resolver looks at a position
-- again only once it changed (once per change, not once per tick).
CREATE TABLE stock_shortfall (
  sku          text COLLATE "C" NOT NULL,
  location_id  text COLLATE "C" NOT NULL,
  checked_xid  xid8 NOT NULL,
  on_hand      integer NOT NULL,
  reserved     integer NOT NULL,
  checked_at   timestamptz NOT NULL,
  PRIMARY KEY (sku, location_id),
  FOREIGN KEY (sku, location_id) REFERENCES stock_position (sku, location_id)
);
