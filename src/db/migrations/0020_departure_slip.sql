-- Departure slip: when a fulfillment leaves, how many departure opportunities (days the location is open
-- and its carrier collects) after the one the promise planned it left. The promise learns each
-- location's slip from these rows and dates parcels by slip ⊕ transit (src/domain/promise/departure-slip.ts).
CREATE TABLE departure_slip (
  id              bigserial PRIMARY KEY,
  fulfillment_id  uuid NOT NULL UNIQUE REFERENCES fulfillment_order (id),
  location_id     text COLLATE "C" NOT NULL REFERENCES location (id),
  planned_on      date NOT NULL,                            -- the departure the promise planned (local date)
  departed_on     date NOT NULL,                            -- the ship step's local date
  slip            integer NOT NULL CHECK (slip >= 0),       -- opportunities late (0: on the planned day or earlier)
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX departure_slip_location_idx ON departure_slip (location_id, slip);

-- The promise data version (migration 0019) also moves when a slip is recorded: the next promise learns it.
CREATE OR REPLACE FUNCTION promise_data_version() RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN concat_ws('|',
    (SELECT max(updated_at)::text FROM location), (SELECT count(*) FROM location),
    (SELECT max(updated_at)::text FROM carrier), (SELECT count(*) FROM carrier),
    (SELECT max(id) FROM transit_observation),
    (SELECT max(id) FROM departure_slip),
    (SELECT updated_at::text FROM promise_settings),
    concat_ws(',',
      (SELECT count(*) FROM routing_policy_version),
      (SELECT md5(string_agg(channel_id || '/' || delivery_method || '=' || policy_id || '@' || coalesce(pinned_version, 0), ',' ORDER BY channel_id, delivery_method))
         FROM routing_policy_assignment)));
END $$;
