-- A hold's guarded reservations in one round trip (an order's hold has a line per SKU and location): the
-- same statement as one guarded UPDATE per line (reserved += quantity only while on hand - reserved -
-- safety stock covers it), run in the order the caller gives, which is (sku, location) order, the lock
-- order every writer of stock_position keeps. PL/pgSQL keeps the statements' plans per connection.
-- `lines` is a JSON array of {sku, location_id, quantity} (PGlite binds no JS array as a PostgreSQL array).
-- One row per line: the position after the update (granted), or as it is when the guard refused
-- (not granted: nothing changed); no row for a position that does not exist.
CREATE FUNCTION reserve_lines(lines json)
RETURNS TABLE (line int, sku text, location_id text, on_hand int, reserved int, safety_stock int, granted boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  l record;
BEGIN
  FOR l IN SELECT (e.ord - 1)::int AS i, e.v->>'sku' AS sku, e.v->>'location_id' AS location_id, (e.v->>'quantity')::int AS quantity
           FROM json_array_elements(lines) WITH ORDINALITY AS e(v, ord) ORDER BY e.ord LOOP
    RETURN QUERY
      UPDATE stock_position sp SET reserved = sp.reserved + l.quantity
      WHERE sp.sku = l.sku AND sp.location_id = l.location_id AND sp.on_hand - sp.reserved - sp.safety_stock >= l.quantity
      RETURNING l.i, sp.sku, sp.location_id, sp.on_hand, sp.reserved, sp.safety_stock, true;
    IF NOT FOUND THEN
      RETURN QUERY
        SELECT l.i, sp.sku, sp.location_id, sp.on_hand, sp.reserved, sp.safety_stock, false
        FROM stock_position sp WHERE sp.sku = l.sku AND sp.location_id = l.location_id;
    END IF;
  END LOOP;
END $$;
