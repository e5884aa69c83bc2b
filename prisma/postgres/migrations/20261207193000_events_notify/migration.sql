-- Change notifications on PostgreSQL (issue [12] item 3); PostgreSQL only, see README "Data model
-- and migrations".
--
-- Every process LISTENs on `preroll_changes` (lib/db/pg-changes.ts) to drop its memoised reads
-- and wake its delivery loop and SSE hub. `mutate` notifies inside its own transactions; this
-- replaces the events write-order trigger function so that a write bypassing `mutate` (a script,
-- psql) notifies too, with the first event id it inserts. NOTIFY is delivered on commit only, in
-- commit order; a transaction that already holds the write lock (mutate) is left alone as before.
CREATE OR REPLACE FUNCTION "events_write_order"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('preroll.events_write_lock', true), '') <> 'held' THEN
    PERFORM pg_advisory_xact_lock(1347572785);
    PERFORM set_config('preroll.events_write_lock', 'held', true);
    NEW."id" := nextval(pg_get_serial_sequence('"events"', 'id'));
    PERFORM pg_notify('preroll_changes', NEW."id"::text);
  END IF;
  RETURN NEW;
END
$$;
