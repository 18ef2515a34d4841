-- New rows get time-ordered ids (UUID version 7, RFC 9562: 48 bits of Unix milliseconds, then random
-- bits), as the ids Ordo makes itself do (src/db/row-id.ts). With version 4 ids, every entry of a
-- uuid-keyed B-tree (primary keys, event_id, the indexes of child rows on their parent's id) landed on a
-- random page: an order dirtied ~25 index pages, and after each checkpoint the first change to each page
-- copies the whole page into the WAL. Time-ordered, an order's entries go to the rightmost pages that
-- the orders before it just wrote. Existing ids are kept; PostgreSQL 18's uuidv7() does the same thing.
CREATE FUNCTION uuid_v7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  -- A version 4 UUID's first 6 bytes replaced by the time; its version nibble 0100 becomes 0111.
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

-- Every uuid column defaulting to gen_random_uuid(), but the promise tokens: a token is what a client
-- shows to place an order on its held option, so it stays wholly random.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT cols.table_name, cols.column_name
      FROM information_schema.columns cols
     WHERE cols.table_schema = current_schema()
       AND cols.column_default = 'gen_random_uuid()'
       AND NOT (cols.table_name = 'promise_hold' AND cols.column_name = 'token')
  LOOP
    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT uuid_v7()', c.table_name, c.column_name);
  END LOOP;
END $$;
