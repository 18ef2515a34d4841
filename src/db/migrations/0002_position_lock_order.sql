-- Every writer locks stock positions in (sku, location_id) order, some in SQL (ORDER BY ... FOR UPDATE),
-- some in TypeScript (string comparison by code unit). Binary "C" collation makes both orders the same
-- whatever the server's default collation is (en_US sorts 'a' < 'B', JavaScript does not), so two
-- commands can never lock the same rows in opposite orders and deadlock.
ALTER TABLE stock_position
  ALTER COLUMN sku TYPE text COLLATE "C",
  ALTER COLUMN location_id TYPE text COLLATE "C";
