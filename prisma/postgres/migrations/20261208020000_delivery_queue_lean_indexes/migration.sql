-- The delivery queue on PostgreSQL: fewer index entries and cheaper comparisons per delivery.
-- PostgreSQL only (the SQLite twin is empty); see README "Data model and migrations".
--
-- Each delivery is written twice (created, then completed), each time with an entry in every
-- index of `deliveries` (an UPDATE that changes an indexed column is never HOT), and once more in
-- `delivery_attempts`. bench/delivery.mjs measured what this migration saves per delivery in
-- PostgreSQL's execution time: ~16 µs from the collation, ~13 µs from the partial indexes (of
-- ~130 µs).
--
-- 1. The queue's text ids (UUIDs) compare with the C collation: bytewise, not through the
--    database's locale (strcoll). The order of hex UUIDs is the same; equality always was.
--    Prisma does not model column collations, so `scripts/migrate.mjs --check` sees no drift.
ALTER TABLE "deliveries" ALTER COLUMN "id" TYPE TEXT COLLATE "C";
ALTER TABLE "deliveries" ALTER COLUMN "subscriber_id" TYPE TEXT COLLATE "C";
ALTER TABLE "delivery_attempts" ALTER COLUMN "delivery_id" TYPE TEXT COLLATE "C";
ALTER TABLE "subscribers" ALTER COLUMN "id" TYPE TEXT COLLATE "C";

-- 2. The two indexes only the queue's own lookups use cover only the rows those lookups can
--    want: what is due (every status but `completed`, the one almost every row ends in) and the
--    running leases (`processing`). A completed delivery then leaves no entry in either. Same
--    names and columns as prisma/schema.prisma declares: Prisma's diff ignores the WHERE of a
--    partial index (not modelled without its `partialIndexes` preview) and sees these as its own.
--    The subscriber index stays whole: cascading deletes and per-subscriber counts read it.
DROP INDEX "deliveries_status_next_attempt_at_idx";
CREATE INDEX "deliveries_status_next_attempt_at_idx" ON "deliveries"("status", "next_attempt_at") WHERE "status" <> 'completed';
DROP INDEX "deliveries_locked_until_idx";
CREATE INDEX "deliveries_locked_until_idx" ON "deliveries"("locked_until") WHERE "status" = 'processing';
