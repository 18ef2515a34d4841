-- One round trip per reservation batch (PERFORMANCE.md §5, §8): the batcher sends every single-line hold
-- of a batch to this function, called as one autocommit statement, so BEGIN, lock, writes and COMMIT cost
-- one network exchange and the row locks are held for the function's run and the commit only.
-- It applies exactly the rule of grantPerPosition (src/domain/reservations/hold.ts): rows locked in
-- (sku, location_id) order, then each request granted in arrival order, first fit, against its own row.
-- Positions come deduplicated and sorted (p_key_*); p_pos[i] is request i's index into them.
CREATE FUNCTION reserve_single_lines(
  p_key_sku text[], p_key_loc text[], p_pos int[], p_qty int[],
  p_line_id uuid[], p_hold_id uuid[], p_channel text[], p_reference text[], p_expires_at timestamptz[],
  p_created_at timestamptz, p_actor text[], p_hold jsonb[]
) RETURNS TABLE (outcome text, available int) LANGUAGE plpgsql AS $$
DECLARE
  n_keys int := coalesce(array_length(p_key_sku, 1), 0);
  n int := coalesce(array_length(p_pos, 1), 0);
  v_free int[] := array_fill(NULL::int, ARRAY[n_keys]);
  v_on_hand int[] := array_fill(0, ARRAY[n_keys]);
  v_reserved int[] := array_fill(0, ARRAY[n_keys]);
  v_safety int[] := array_fill(0, ARRAY[n_keys]);
  v_total int[] := array_fill(0, ARRAY[n_keys]);
  g int[] := '{}';
  v_before int[] := '{}';
  v_outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  v_avail int[] := array_fill(NULL::int, ARRAY[n]);
  r record;
  k int;
  i int;
  v_changed int;
BEGIN
  FOR r IN
    SELECT kp.ord::int AS ord, sp.on_hand, sp.reserved, sp.safety_stock
    FROM unnest(p_key_sku, p_key_loc) WITH ORDINALITY AS kp(sku, loc, ord)
    JOIN stock_position sp ON sp.sku = kp.sku AND sp.location_id = kp.loc
    ORDER BY sp.sku, sp.location_id
    FOR UPDATE OF sp
  LOOP
    v_free[r.ord] := greatest(0, r.on_hand - r.reserved - r.safety_stock);
    v_on_hand[r.ord] := r.on_hand;
    v_reserved[r.ord] := r.reserved;
    v_safety[r.ord] := r.safety_stock;
  END LOOP;
  FOR i IN 1 .. n LOOP
    k := p_pos[i];
    IF v_free[k] IS NULL THEN
      v_outcomes[i] := 'missing';
    ELSIF p_qty[i] > v_free[k] THEN
      v_outcomes[i] := 'insufficient';
      v_avail[i] := v_free[k];
    ELSE
      v_outcomes[i] := 'granted';
      v_free[k] := v_free[k] - p_qty[i];
      v_total[k] := v_total[k] + p_qty[i];
      g := g || i;
      v_before := v_before || (v_reserved[k] + v_total[k] - p_qty[i]);
    END IF;
  END LOOP;
  IF array_length(g, 1) > 0 THEN
    -- Still guarded: under the locks it cannot refuse; if it ever did, the statement fails and rolls back.
    UPDATE stock_position sp SET reserved = sp.reserved + t.qty
    FROM unnest(p_key_sku, p_key_loc, v_total) AS t(sku, loc, qty)
    WHERE t.qty > 0 AND sp.sku = t.sku AND sp.location_id = t.loc AND sp.on_hand - sp.reserved - sp.safety_stock >= t.qty;
    GET DIAGNOSTICS v_changed = ROW_COUNT;
    IF v_changed <> (SELECT count(*) FROM unnest(v_total) AS t(v) WHERE v > 0) THEN
      RAISE EXCEPTION 'a locked stock position moved during a reservation batch';
    END IF;
    INSERT INTO reservation (id, hold_id, sku, location_id, channel_id, quantity, reference, expires_at, created_at)
    SELECT p_line_id[j], p_hold_id[j], p_key_sku[p_pos[j]], p_key_loc[p_pos[j]], p_channel[j], p_qty[j], p_reference[j], p_expires_at[j], p_created_at
    FROM unnest(g) AS j;
    INSERT INTO inventory_ledger (sku, location_id, cause, on_hand_before, on_hand_after, reserved_before, reserved_after, source, reference, actor)
    SELECT p_key_sku[p_pos[j]], p_key_loc[p_pos[j]], 'reservation', v_on_hand[p_pos[j]], v_on_hand[p_pos[j]], b, b + p_qty[j], p_line_id[j]::text, p_hold_id[j]::text, p_actor[j]
    FROM unnest(g, v_before) WITH ORDINALITY AS t(j, b, ord) ORDER BY ord;
    INSERT INTO outbox_event (type, aggregate_type, aggregate_id, payload)
    SELECT type, aggregate_type, aggregate_id, payload FROM (
      SELECT 1 AS part, ord, 'reservation.created' AS type, 'reservation' AS aggregate_type, p_hold_id[j]::text AS aggregate_id, p_hold[j] AS payload
      FROM unnest(g) WITH ORDINALITY AS t(j, ord)
      UNION ALL
      SELECT 2, kk, 'stock.v_changed', 'stock_position', p_key_loc[kk] || '/' || p_key_sku[kk],
        jsonb_build_object('sku', p_key_sku[kk], 'locationId', p_key_loc[kk], 'onHand', v_on_hand[kk], 'reserved', v_reserved[kk] + v_total[kk],
          'safetyStock', v_safety[kk], 'atp', greatest(0, v_on_hand[kk] - v_reserved[kk] - v_total[kk] - v_safety[kk]), 'cause', 'reservation')
      FROM generate_series(1, n_keys) AS kk WHERE v_total[kk] > 0
    ) e ORDER BY part, ord;
  END IF;
  RETURN QUERY SELECT t.o, t.a FROM unnest(v_outcomes, v_avail) WITH ORDINALITY AS t(o, a, ord) ORDER BY t.ord;
END $$;
