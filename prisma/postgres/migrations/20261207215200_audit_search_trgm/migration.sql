-- Case-insensitive audit search on PostgreSQL; PostgreSQL only, see README "Data model and
-- migrations".
--
-- lib/domain/audit/list-audit.ts searches label/field/new/old/actor with ILIKE '%q%' on PostgreSQL
-- (SQLite's LIKE already folds ASCII case). A B-tree cannot serve a leading wildcard, so every
-- search and its count read the whole table (~300 ms at 100 000 rows). A trigram GIN index per
-- column serves ILIKE for patterns of 3+ characters; the planner ORs the five bitmaps. pg_trgm ships
-- with PostgreSQL and is a trusted extension: the database owner may create it.
--
-- Why partial (WHERE … IS NOT NULL, which every row a strict ILIKE can match satisfies, so the
-- planner still uses them): GIN cannot be declared in prisma/schema.prisma, which SQLite shares,
-- and Prisma's diff leaves partial indexes alone (they are not modelled without its
-- `partialIndexes` preview feature), so `scripts/migrate.mjs --check` / `--diff` do not drop them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "audit_log_label_trgm_idx" ON "audit_log" USING gin ("label" gin_trgm_ops) WHERE "label" IS NOT NULL;
CREATE INDEX "audit_log_field_trgm_idx" ON "audit_log" USING gin ("field" gin_trgm_ops) WHERE "field" IS NOT NULL;
CREATE INDEX "audit_log_new_trgm_idx" ON "audit_log" USING gin ("new" gin_trgm_ops) WHERE "new" IS NOT NULL;
CREATE INDEX "audit_log_old_trgm_idx" ON "audit_log" USING gin ("old" gin_trgm_ops) WHERE "old" IS NOT NULL;
CREATE INDEX "audit_log_actor_trgm_idx" ON "audit_log" USING gin ("actor" gin_trgm_ops) WHERE "actor" IS NOT NULL;
