-- An order's guarded reservations as one call at the end of its statement batch (src/db/contended-writes.ts),
-- like its pick loads: the stock row of a hot SKU, which every order of it updates, is then locked for the
-- last message of the transaction only, not from its first message to its last. Each line in the order
-- given ((sku, location) order, the lock order every writer of stock_position keeps): the guarded update
-- (reserved += quantity only while on hand - reserved - safety stock covers it), its ledger row and its
-- stock.changed event (the payload of stockChanged in src/modules/inventory/ledger.repository.ts). A line
-- the guard refuses raises 'insufficient_stock', a position that does not exist 'unknown_position'
-- (SQLSTATE P0001, the line as JSON in DETAIL), and the caller's transaction rolls back whole.
-- `doc`: {"reference": hold id, "actor": actor id, "lines": [{"sku", "location_id", "quantity", "source"}]}.
CREATE FUNCTION take_stock_lines(doc json) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  l record;
  p record;
BEGIN
  FOR l IN SELECT e->>'sku' AS sku, e->>'location_id' AS location_id, (e->>'quantity')::int AS quantity, e->>'source' AS source
           FROM json_array_elements(doc->'lines') WITH ORDINALITY AS x(e, ord) ORDER BY ord LOOP
    UPDATE stock_position sp SET reserved = sp.reserved + l.quantity
      WHERE sp.sku = l.sku AND sp.location_id = l.location_id AND sp.on_hand - sp.reserved - sp.safety_stock >= l.quantity
      RETURNING sp.on_hand, sp.reserved, sp.safety_stock INTO p;
    IF NOT FOUND THEN
      SELECT sp.on_hand, sp.reserved, sp.safety_stock INTO p FROM stock_position sp WHERE sp.sku = l.sku AND sp.location_id = l.location_id;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown_position' USING DETAIL = json_build_object('sku', l.sku, 'locationId', l.location_id)::text;
      END IF;
      RAISE EXCEPTION 'insufficient_stock' USING DETAIL = json_build_object('sku', l.sku, 'locationId', l.location_id, 'requested', l.quantity,
        'available', greatest(0, p.on_hand - p.reserved - p.safety_stock))::text;
    END IF;
    INSERT INTO inventory_ledger (sku, location_id, cause, on_hand_before, on_hand_after, reserved_before, reserved_after, source, reference, actor)
      VALUES (l.sku, l.location_id, 'reservation', p.on_hand, p.on_hand, p.reserved - l.quantity, p.reserved, l.source, doc->>'reference', doc->>'actor');
    INSERT INTO outbox_event (type, aggregate_type, aggregate_id, payload)
      VALUES ('stock.changed', 'stock_position', l.location_id || '/' || l.sku,
              jsonb_build_object('sku', l.sku, 'locationId', l.location_id, 'onHand', p.on_hand, 'reserved', p.reserved,
                                 'safetyStock', p.safety_stock, 'atp', greatest(0, p.on_hand - p.reserved - p.safety_stock), 'cause', 'reservation'));
  END LOOP;
END $$;
