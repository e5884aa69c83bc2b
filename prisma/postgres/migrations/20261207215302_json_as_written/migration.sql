-- Every Json column becomes `json` (was Prisma's default `jsonb`), which keeps the text as the app
-- wrote it, as SQLite does: object keys in their order (custom SKUs, settings maps) and no added
-- spaces (the event-log search for `"key":"value"`). See postgresSchemaFrom in scripts/migrate.mjs.
--
-- Existing rows cannot get their original key order back (jsonb did not keep it), but they lose
-- jsonb's spaces: its text form puts exactly one space after each `:` and `,` between tokens, so
-- the regexp keeps string literals (group 1, escapes included) as they are and drops the space
-- after a separator outside them (group 2), giving what JSON.stringify writes. Each table is
-- rewritten (measured: about 60 µs per events row).
CREATE FUNCTION pg_temp.json_as_written(value jsonb) RETURNS json
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT regexp_replace(value::text, '("(?:[^"\\]|\\.)*")|([,:]) ', '\1\2', 'g')::json
$$;

-- AlterTable
ALTER TABLE "batches" ALTER COLUMN "centrifuge_settings_by_size" SET DATA TYPE JSON USING pg_temp.json_as_written("centrifuge_settings_by_size"),
ALTER COLUMN "rate_history" SET DATA TYPE JSON USING pg_temp.json_as_written("rate_history"),
ALTER COLUMN "rate_metrics" SET DATA TYPE JSON USING pg_temp.json_as_written("rate_metrics"),
ALTER COLUMN "production_sessions" SET DATA TYPE JSON USING pg_temp.json_as_written("production_sessions"),
ALTER COLUMN "source_materials" SET DATA TYPE JSON USING pg_temp.json_as_written("source_materials"),
ALTER COLUMN "weight_log_0_5" SET DATA TYPE JSON USING pg_temp.json_as_written("weight_log_0_5"),
ALTER COLUMN "weight_log_0_7" SET DATA TYPE JSON USING pg_temp.json_as_written("weight_log_0_7"),
ALTER COLUMN "weight_log_1_0" SET DATA TYPE JSON USING pg_temp.json_as_written("weight_log_1_0");

-- AlterTable
ALTER TABLE "event_sources" ALTER COLUMN "type_mapping" SET DATA TYPE JSON USING pg_temp.json_as_written("type_mapping");

-- AlterTable
ALTER TABLE "events" ALTER COLUMN "payload" SET DATA TYPE JSON USING pg_temp.json_as_written("payload");

-- AlterTable
ALTER TABLE "finished_goods" ALTER COLUMN "sku_breakdown" SET DATA TYPE JSON USING pg_temp.json_as_written("sku_breakdown"),
ALTER COLUMN "apex_units" SET DATA TYPE JSON USING pg_temp.json_as_written("apex_units"),
ALTER COLUMN "apex_sku_settings" SET DATA TYPE JSON USING pg_temp.json_as_written("apex_sku_settings"),
ALTER COLUMN "custom_skus" SET DATA TYPE JSON USING pg_temp.json_as_written("custom_skus");

-- AlterTable
ALTER TABLE "finished_goods_history" ALTER COLUMN "details" SET DATA TYPE JSON USING pg_temp.json_as_written("details");

-- AlterTable
ALTER TABLE "inbound_events" ALTER COLUMN "payload" SET DATA TYPE JSON USING pg_temp.json_as_written("payload");

-- AlterTable
ALTER TABLE "recommendation_snapshots" ALTER COLUMN "files_processed" SET DATA TYPE JSON USING pg_temp.json_as_written("files_processed"),
ALTER COLUMN "data" SET DATA TYPE JSON USING pg_temp.json_as_written("data");

-- AlterTable
ALTER TABLE "settings" ALTER COLUMN "value" SET DATA TYPE JSON USING pg_temp.json_as_written("value");

-- AlterTable
ALTER TABLE "subscribers" ALTER COLUMN "filter" SET DATA TYPE JSON USING pg_temp.json_as_written("filter"),
ALTER COLUMN "config" SET DATA TYPE JSON USING pg_temp.json_as_written("config");

-- AlterTable
ALTER TABLE "worker_heartbeats" ALTER COLUMN "info" SET DATA TYPE JSON USING pg_temp.json_as_written("info");

DROP FUNCTION pg_temp.json_as_written(jsonb);
