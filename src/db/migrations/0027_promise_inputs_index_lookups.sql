-- The promise inputs look their SKUs up by index. `sku IN (SELECT json_array_elements_text(...))` is
-- planned for a set-returning function's default estimate of 100 rows, so against a catalogue of
-- 10,000 products PostgreSQL hashed the wanted SKUs and scanned the whole product table for every
-- promise and every order (a call took 0.85 ms on the bench's network, 0.49 ms now, and the scan grows
-- with the catalogue). As an array, `sku = ANY (wanted)` is an index condition: one lookup per SKU
-- whatever the catalogue's size. Same answers as 0026's version.
CREATE OR REPLACE FUNCTION promise_inputs(wanted_skus json, from_day date)
RETURNS TABLE (products json, arrivals json, waiting json, loads json, version text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
  wanted text[] := ARRAY(SELECT json_array_elements_text(wanted_skus));
BEGIN
  RETURN QUERY
  SELECT
    (SELECT coalesce(json_agg(json_build_array(p.sku, p.weight_grams, p.backorderable, p.preorderable, p.active)), '[]'::json)
       FROM product p WHERE p.sku = ANY (wanted)),
    (SELECT coalesce(json_agg(json_build_array(s.sku, s.location_id, s.quantity, floor(extract(epoch FROM s.expected_at) * 1000)::bigint)
                              ORDER BY s.expected_at, s.sku, s.location_id, s.id), '[]'::json)
       FROM incoming_supply s WHERE s.status = 'open' AND s.sku = ANY (wanted)),
    (SELECT coalesce(json_agg(json_build_array(b.sku, b.location_id, b.units)), '[]'::json)
       FROM (SELECT a.sku, a.location_id, sum(a.quantity)::int AS units FROM order_allocation a
             WHERE a.status = 'backordered' AND a.sku = ANY (wanted) GROUP BY a.sku, a.location_id) b),
    (SELECT coalesce(json_agg(json_build_array(l.location_id, l.day::text, l.units)), '[]'::json)
       FROM (SELECT t.location_id, t.day, sum(t.units)::int AS units FROM location_pick_load t WHERE t.day >= from_day
             GROUP BY t.location_id, t.day) l),
    promise_data_version();
END $$;
