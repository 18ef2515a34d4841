-- Every writer locks stock positions in (sku, location_id) order, some in SQL (ORDER BY ... FOR UPDATE),
-- some in TypeScript (string comparison by code unit). Binary "C" collation makes both orders the same
-- whatever the server's default collation is (en_US sorts 'a' < 'B', JavaScript does not), so two
-- commands can never lock the same rows in opposite orders and deadlock.
-- Every column holding a SKU or a location id gets the same collation: a join or a comparison between
-- two collations cannot use the indexes (the invariant check went from seconds to minutes that way).
ALTER TABLE location ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE product ALTER COLUMN sku TYPE text COLLATE "C";
ALTER TABLE safety_stock_rule
  ALTER COLUMN sku TYPE text COLLATE "C",
  ALTER COLUMN location_id TYPE text COLLATE "C";
ALTER TABLE stock_position
  ALTER COLUMN sku TYPE text COLLATE "C",
  ALTER COLUMN location_id TYPE text COLLATE "C";
ALTER TABLE inventory_ledger
  ALTER COLUMN sku TYPE text COLLATE "C",
  ALTER COLUMN location_id TYPE text COLLATE "C";
ALTER TABLE inventory_feed_event
  ALTER COLUMN sku TYPE text COLLATE "C",
  ALTER COLUMN location_id TYPE text COLLATE "C";
ALTER TABLE reservation
  ALTER COLUMN sku TYPE text COLLATE "C",
  ALTER COLUMN location_id TYPE text COLLATE "C";
ALTER TABLE incoming_supply
  ALTER COLUMN sku TYPE text COLLATE "C",
  ALTER COLUMN location_id TYPE text COLLATE "C";
