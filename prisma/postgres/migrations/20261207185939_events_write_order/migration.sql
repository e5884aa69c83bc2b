-- Write order on PostgreSQL (issue [12]); PostgreSQL only, see README "Data model and migrations".
--
-- `mutate` (lib/db/mutate.ts) takes pg_advisory_xact_lock(WRITE_LOCK_KEY = 0x50525431 =
-- 1347572785) first in every writing transaction, so event ids are drawn and committed in order
-- and a feed cursor (`id > after`) never skips an event. This trigger is the backstop for writes
-- that bypass `mutate` (a script, psql): before an event row is inserted it takes the same lock
-- and, because the SERIAL default drew `id` before the lock was held, draws the id again under it.
-- The lock is re-entrant and held until commit. A transaction that already holds it says so with
-- set_config('preroll.events_write_lock', 'held', true) (mutate does, and so may a copy that
-- keeps explicit ids after taking the lock itself); the trigger then leaves the row alone.
CREATE FUNCTION "events_write_order"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('preroll.events_write_lock', true), '') <> 'held' THEN
    PERFORM pg_advisory_xact_lock(1347572785);
    PERFORM set_config('preroll.events_write_lock', 'held', true);
    NEW."id" := nextval(pg_get_serial_sequence('"events"', 'id'));
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "events_write_order"
BEFORE INSERT ON "events"
FOR EACH ROW EXECUTE FUNCTION "events_write_order"();
