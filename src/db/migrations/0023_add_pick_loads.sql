-- An order's pick loads as one call at the end of its statement batch (src/db/contended-writes.ts): each
-- load is added in the given order (location order, as every writer takes them), guarded by the location's
-- daily capacity (null: none). A load that does not fit raises 'capacity_exhausted' (SQLSTATE P0001) with
-- the load as JSON in DETAIL, and the caller's transaction rolls back whole.
CREATE FUNCTION add_pick_loads(loads json) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  l json;
  capacity integer;
  total integer;
BEGIN
  FOR l IN SELECT * FROM json_array_elements(loads) LOOP
    capacity := (l->>'capacity')::integer;
    total := NULL;
    INSERT INTO location_pick_load AS p (location_id, day, units)
      VALUES (l->>'locationId', (l->>'day')::date, (l->>'units')::integer)
      ON CONFLICT (location_id, day) DO UPDATE SET units = p.units + excluded.units
        WHERE capacity IS NULL OR p.units + excluded.units <= capacity
      RETURNING p.units INTO total;
    IF total IS NULL OR (capacity IS NOT NULL AND total > capacity) THEN
      RAISE EXCEPTION 'capacity_exhausted' USING DETAIL = l::text;
    END IF;
  END LOOP;
END $$;
