-- The outbox sequencer's poll (src/db/outbox.ts) as one call: it runs every poll interval whether or not
-- anything happened, and as a client-side transaction it cost four round trips (advisory lock, bound,
-- update, commit). Same rules as before: one sequencer at a time (advisory lock, transaction scoped); the
-- bound is the oldest xid still running in this database (pg_locks; prepared transactions count too),
-- read by a statement before the one that positions, so every row below it is visible to the update
-- (each statement of a volatile function takes a fresh snapshot in read committed); rows up to `batch`
-- get the next positions in id order. Returns how many rows it positioned.
--
-- Both statements must not depend on table statistics, which are stale whenever the share of unpositioned
-- rows moved since the last ANALYZE (always, on a server without autovacuum): `ORDER BY id LIMIT` only
-- matches the partial index on unpositioned ids, and the batch is joined through an unnested array
-- (estimated at a few rows) so each row is found by its key. A plan picked for "most rows unpositioned"
-- read the whole table on every poll (test/db/outbox-sequencer.pg.test.ts).
CREATE FUNCTION sequence_outbox_events(batch int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  bound xid8;
  positioned int;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7242002) THEN
    RETURN 0;
  END IF;
  -- pg_locks holds 32-bit xids: widened with the epoch of the current snapshot (an xid above the current
  -- one's low bits belongs to the previous epoch).
  SELECT CASE WHEN (SELECT id FROM outbox_event WHERE position IS NULL ORDER BY id LIMIT 1) IS NOT NULL THEN
           coalesce((SELECT min(CASE WHEN r.x <= (s.xmax & 4294967295) THEN ((s.xmax >> 32) << 32) | r.x
                                     ELSE (((s.xmax >> 32) - 1) << 32) | r.x END)
                     FROM (SELECT l.transactionid::text::bigint AS x
                           FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                           WHERE l.locktype = 'transactionid' AND l.pid IS DISTINCT FROM pg_backend_pid()
                             AND (a.pid IS NULL OR a.datname IS NULL OR a.datname = current_database())) r),
                    s.xmax)::text::xid8
         END
    INTO bound
    FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax) s;
  IF bound IS NULL THEN
    RETURN 0;
  END IF;
  WITH ids AS (
    SELECT array(SELECT id FROM outbox_event WHERE position IS NULL AND xid < bound ORDER BY id LIMIT batch) AS ids
  ), base AS (SELECT coalesce(max(position), 0) AS b FROM outbox_event)
  UPDATE outbox_event o SET position = base.b + u.rn
  FROM ids, base, unnest(ids.ids) WITH ORDINALITY AS u(id, rn)
  WHERE o.id = u.id;
  GET DIAGNOSTICS positioned = ROW_COUNT;
  RETURN positioned;
END
$$;
