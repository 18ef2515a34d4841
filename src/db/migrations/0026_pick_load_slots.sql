-- A location's pick load of a day in up to 8 rows (slots) instead of one. Every order a warehouse serves
-- updated that warehouse's one row last in its transaction and held its lock through the commit, so the
-- orders of a busy warehouse queued on it (in the order-intake bench, where every order ships from one of
-- two warehouses, the one-call baseline waited 23.6 ms per call on it and Ordo 2 ms). A capacity of at
-- least 4,000 units a day is split into a slot per 2,000 units, up to 8 (demo warehouses: 18,000 and
-- 25,000); stores, suppliers and locations without a capacity keep one row.
--
-- Exactness: slot s may hold at most its budget (capacity split evenly, the remainder to the first slots),
-- so the day's load stays within the capacity. An order adds its units to one slot chosen at random when
-- they fit its budget (its only lock on that location's day); otherwise it spreads them over the slots,
-- holding all of them in slot order, and is refused only when the day's total leaves too little: the same
-- answer as the single row gave. A capacity change lays the load on the new slots (trigger below).
-- Lock order: locations in id order, then days (src/modules/promise/promise-holds.ts), a day's slots in slot order; a one-slot add
-- holds no other slot of its day, and gives its slot back before spreading, so no cycle.

ALTER TABLE location_pick_load ADD COLUMN slot smallint NOT NULL DEFAULT 0 CHECK (slot BETWEEN 0 AND 7);
ALTER TABLE location_pick_load DROP CONSTRAINT location_pick_load_pkey;
ALTER TABLE location_pick_load ADD PRIMARY KEY (location_id, day, slot);

CREATE FUNCTION pick_load_slots(capacity integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN capacity IS NULL THEN 1 ELSE greatest(1, least(8, capacity / 2000)) END
$$;

-- Slot `slot`'s share of the capacity (null: no capacity, no limit).
CREATE FUNCTION pick_load_budget(capacity integer, slot integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT capacity / pick_load_slots(capacity) + CASE WHEN slot < capacity % pick_load_slots(capacity) THEN 1 ELSE 0 END
$$;

-- Every slot row of a location's day locked in slot order, each created empty if missing just before its
-- turn (a row another transaction is inserting blocks like a lock: creating the higher ones first
-- deadlocked two spreads); their total.
CREATE FUNCTION lock_pick_load_day(loc text, d date, slots integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  total integer := 0;
  n integer;
BEGIN
  FOR s IN 0 .. slots - 1 LOOP
    INSERT INTO location_pick_load (location_id, day, slot, units) VALUES (loc, d, s, 0) ON CONFLICT DO NOTHING;
    SELECT l.units INTO n FROM location_pick_load l WHERE l.location_id = loc AND l.day = d AND l.slot = s FOR UPDATE;
    total := total + n;
  END LOOP;
  -- Slots of a larger capacity than today's.
  FOR n IN SELECT l.units FROM location_pick_load l WHERE l.location_id = loc AND l.day = d AND l.slot >= slots ORDER BY l.slot FOR UPDATE LOOP
    total := total + n;
  END LOOP;
  RETURN total;
END $$;

-- Lays `total` units evenly over a locked day's slots (so the next one-slot adds find room in any of
-- them): within each slot's budget as long as the total is within the capacity; what exceeds it (only
-- after the capacity was lowered) on slot 0; slots beyond the count emptied.
CREATE FUNCTION lay_pick_load(loc text, d date, total integer, cap integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  slots integer := pick_load_slots(cap);
  excess integer := CASE WHEN cap IS NULL THEN 0 ELSE greatest(total - cap, 0) END;
  even integer := total - excess;
BEGIN
  FOR s IN 0 .. slots - 1 LOOP
    UPDATE location_pick_load l
      SET units = even / slots + CASE WHEN s < even % slots THEN 1 ELSE 0 END + CASE WHEN s = 0 THEN excess ELSE 0 END
      WHERE l.location_id = loc AND l.day = d AND l.slot = s;
  END LOOP;
  UPDATE location_pick_load l SET units = 0 WHERE l.location_id = loc AND l.day = d AND l.slot >= slots AND l.units <> 0;
END $$;

CREATE OR REPLACE FUNCTION add_pick_loads(loads json) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  l json;
  loc text;
  d date;
  cap integer;
  n integer;
  k integer;
  budget integer;
  total integer;
BEGIN
  FOR l IN SELECT * FROM json_array_elements(loads) LOOP
    loc := l->>'locationId';
    d := (l->>'day')::date;
    cap := (l->>'capacity')::integer;
    n := (l->>'units')::integer;
    k := floor(random() * pick_load_slots(cap))::integer;
    budget := pick_load_budget(cap, k);
    total := NULL;
    -- One slot, in a subtransaction rolled back when it does not fit: an UPDATE that waited for another
    -- order's update of the row keeps it locked even when its guard then fails, and holding a slot while
    -- the spread below locks the others in slot order deadlocked two spreads. A missing row is inserted
    -- unless another order just did.
    IF cap IS NULL OR n <= budget THEN
      BEGIN
        UPDATE location_pick_load p SET units = p.units + n
          WHERE p.location_id = loc AND p.day = d AND p.slot = k AND (cap IS NULL OR p.units + n <= budget)
          RETURNING p.units INTO total;
        IF total IS NULL THEN
          INSERT INTO location_pick_load AS p (location_id, day, slot, units) VALUES (loc, d, k, n)
            ON CONFLICT DO NOTHING RETURNING p.units INTO total;
        END IF;
        IF total IS NULL THEN
          RAISE SQLSTATE 'OR001';
        END IF;
      EXCEPTION WHEN SQLSTATE 'OR001' THEN
        total := NULL;
      END;
    END IF;
    IF total IS NULL THEN
      -- The slot is full (or the units exceed a slot's budget): the whole day, exactly.
      total := lock_pick_load_day(loc, d, pick_load_slots(cap));
      IF total + n > cap THEN
        RAISE EXCEPTION 'capacity_exhausted' USING DETAIL = l::text;
      END IF;
      PERFORM lay_pick_load(loc, d, total + n, cap);
    END IF;
  END LOOP;
END $$;

-- Takes units off a location's day (a released hold, a cancelled or lost allocation), never below 0.
CREATE FUNCTION subtract_pick_load(loc text, d date, n integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  cap integer := (SELECT l.daily_pick_capacity FROM location l WHERE l.id = loc);
BEGIN
  IF EXISTS (SELECT 1 FROM location_pick_load l WHERE l.location_id = loc AND l.day = d) THEN
    PERFORM lay_pick_load(loc, d, greatest(lock_pick_load_day(loc, d, pick_load_slots(cap)) - n, 0), cap);
  END IF;
END $$;

-- A capacity change lays the loads of its location's days from yesterday (UTC, as promises read them) on
-- the new slots and budgets.
CREATE FUNCTION rebalance_pick_loads() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d date;
BEGIN
  FOR d IN SELECT DISTINCT l.day FROM location_pick_load l WHERE l.location_id = NEW.id AND l.day >= current_date - 1 ORDER BY 1 LOOP
    PERFORM lay_pick_load(NEW.id, d, lock_pick_load_day(NEW.id, d, pick_load_slots(NEW.daily_pick_capacity)), NEW.daily_pick_capacity);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER location_pick_capacity_rebalance AFTER UPDATE OF daily_pick_capacity ON location
  FOR EACH ROW WHEN (OLD.daily_pick_capacity IS DISTINCT FROM NEW.daily_pick_capacity)
  EXECUTE FUNCTION rebalance_pick_loads();

-- Promises read a day's load as the sum of its slots.
CREATE OR REPLACE FUNCTION promise_inputs(wanted_skus json, from_day date)
RETURNS TABLE (products json, arrivals json, waiting json, loads json, version text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH wanted AS (SELECT json_array_elements_text(wanted_skus) AS sku)
  SELECT
    (SELECT coalesce(json_agg(json_build_array(p.sku, p.weight_grams, p.backorderable, p.preorderable, p.active)), '[]'::json)
       FROM product p WHERE p.sku IN (SELECT w.sku FROM wanted w)),
    (SELECT coalesce(json_agg(json_build_array(s.sku, s.location_id, s.quantity, floor(extract(epoch FROM s.expected_at) * 1000)::bigint)
                              ORDER BY s.expected_at, s.sku, s.location_id, s.id), '[]'::json)
       FROM incoming_supply s WHERE s.status = 'open' AND s.sku IN (SELECT w.sku FROM wanted w)),
    (SELECT coalesce(json_agg(json_build_array(b.sku, b.location_id, b.units)), '[]'::json)
       FROM (SELECT a.sku, a.location_id, sum(a.quantity)::int AS units FROM order_allocation a
             WHERE a.status = 'backordered' AND a.sku IN (SELECT w.sku FROM wanted w) GROUP BY a.sku, a.location_id) b),
    (SELECT coalesce(json_agg(json_build_array(l.location_id, l.day::text, l.units)), '[]'::json)
       FROM (SELECT t.location_id, t.day, sum(t.units)::int AS units FROM location_pick_load t WHERE t.day >= from_day
             GROUP BY t.location_id, t.day) l),
    promise_data_version();
END $$;
