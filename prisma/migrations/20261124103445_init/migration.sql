-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'operator',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "session_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "last_login_at" DATETIME
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'operator',
    "created_by" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" DATETIME,
    "revoked_at" DATETIME,
    "expires_at" DATETIME,
    CONSTRAINT "api_keys_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "recovery_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" DATETIME,
    CONSTRAINT "recovery_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "password_reset_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" DATETIME NOT NULL,
    "used_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "password_reset_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" JSONB NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "updated_by" TEXT
);

-- CreateTable
CREATE TABLE "batches" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "strain" TEXT NOT NULL,
    "input_grams" REAL NOT NULL DEFAULT 0,
    "target_grams_each" REAL NOT NULL DEFAULT 0,
    "produced" INTEGER NOT NULL DEFAULT 0,
    "grams_used" REAL NOT NULL DEFAULT 0,
    "grams_ground" REAL NOT NULL DEFAULT 0,
    "stage" INTEGER NOT NULL DEFAULT 0,
    "stage_entered_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "counts_0_5" INTEGER NOT NULL DEFAULT 0,
    "counts_0_7" INTEGER NOT NULL DEFAULT 0,
    "counts_1_0" INTEGER NOT NULL DEFAULT 0,
    "last_inventory_consumed_0_5" INTEGER NOT NULL DEFAULT 0,
    "last_inventory_consumed_0_7" INTEGER NOT NULL DEFAULT 0,
    "last_inventory_consumed_1_0" INTEGER NOT NULL DEFAULT 0,
    "planned_0_5" INTEGER NOT NULL DEFAULT 0,
    "planned_0_7" INTEGER NOT NULL DEFAULT 0,
    "planned_1_0" INTEGER NOT NULL DEFAULT 0,
    "plan_use_grams" REAL NOT NULL DEFAULT 0,
    "labels_printed" INTEGER NOT NULL DEFAULT 0,
    "display_order" INTEGER NOT NULL DEFAULT 0,
    "production_start_time" DATETIME,
    "production_end_time" DATETIME,
    "production_duration_hours" REAL,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "archived_at" DATETIME,
    "harvest_date" TEXT,
    "bay_number" TEXT,
    "thc_percent" REAL,
    "thca_percent" REAL,
    "tac_percent" REAL,
    "cbd_percent" REAL,
    "origin_metrc_number" TEXT,
    "new_metrc_created" BOOLEAN NOT NULL DEFAULT false,
    "new_metrc_number" TEXT,
    "metrc_transferred" BOOLEAN NOT NULL DEFAULT false,
    "metrc_batch_created" BOOLEAN NOT NULL DEFAULT false,
    "centrifuge_rpm" INTEGER,
    "centrifuge_time_seconds" INTEGER,
    "centrifuge_cycles" INTEGER,
    "centrifuge_fill_gauge_cycle1" REAL,
    "centrifuge_fill_gauge_cycle2" REAL,
    "centrifuge_machine" TEXT,
    "centrifuge_settings_by_size" JSONB,
    "testing_status" TEXT NOT NULL DEFAULT 'none',
    "test_package_id" TEXT,
    "testing_lab" TEXT,
    "test_date" TEXT,
    "test_results" TEXT,
    "testing_notes" TEXT,
    "packaging_status" TEXT NOT NULL DEFAULT 'available',
    "packaging_blocker_type" TEXT,
    "packaging_notes" TEXT,
    "packaging_blocked_since" DATETIME,
    "cached_production_rate" REAL,
    "rate_calculation_time" DATETIME,
    "rate_history" JSONB,
    "rate_metrics" JSONB,
    "last_rate_update" DATETIME,
    "production_sessions" JSONB,
    "current_session_start" DATETIME,
    "total_work_hours" REAL NOT NULL DEFAULT 0,
    "paper_size_override" TEXT,
    "is_infused" BOOLEAN NOT NULL DEFAULT false,
    "source_materials" JSONB,
    "weight_log_0_5" JSONB,
    "weight_log_0_7" JSONB,
    "weight_log_1_0" JSONB,
    "running_yield_0_5" REAL NOT NULL DEFAULT 0,
    "running_yield_0_7" REAL NOT NULL DEFAULT 0,
    "running_yield_1_0" REAL NOT NULL DEFAULT 0,
    "last_weight_check_count_0_5" INTEGER NOT NULL DEFAULT 0,
    "last_weight_check_count_0_7" INTEGER NOT NULL DEFAULT 0,
    "last_weight_check_count_1_0" INTEGER NOT NULL DEFAULT 0,
    "last_weight_check_date_0_5" DATETIME,
    "last_weight_check_date_0_7" DATETIME,
    "last_weight_check_date_1_0" DATETIME,
    "final_weight_0_5" REAL NOT NULL DEFAULT 0,
    "final_weight_0_7" REAL NOT NULL DEFAULT 0,
    "final_weight_1_0" REAL NOT NULL DEFAULT 0,
    "grind_size" TEXT,
    "packaged_singles" INTEGER NOT NULL DEFAULT 0,
    "packaged_6_packs" INTEGER NOT NULL DEFAULT 0,
    "packaged_12_packs" INTEGER NOT NULL DEFAULT 0,
    "loose_tupperware" INTEGER NOT NULL DEFAULT 0,
    "lab_sample_grams" REAL NOT NULL DEFAULT 0,
    "waste_grams" REAL NOT NULL DEFAULT 0,
    "remainder_grams" REAL NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "stage_history" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "batch_id" TEXT NOT NULL,
    "from_stage" INTEGER,
    "to_stage" INTEGER NOT NULL,
    "auto" BOOLEAN NOT NULL DEFAULT false,
    "actor" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stage_history_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "count_entries" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "batch_id" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "total_after" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'api',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "count_entries_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "weight_checks" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "batch_id" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "sample_weight" REAL NOT NULL,
    "sample_units" INTEGER NOT NULL DEFAULT 10,
    "count_at_measurement" INTEGER NOT NULL,
    "unit_weight" REAL NOT NULL,
    "target_weight" REAL NOT NULL,
    "within_tolerance" BOOLEAN NOT NULL,
    "actor" TEXT NOT NULL,
    "recorded_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "weight_checks_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "centrifuge_outcomes" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "batch_id" TEXT,
    "strain" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "machine" TEXT NOT NULL DEFAULT 'silver_bullet',
    "rpm" INTEGER NOT NULL,
    "time_seconds" INTEGER NOT NULL,
    "cycles" INTEGER NOT NULL DEFAULT 1,
    "fill_gauge_cycle1" REAL,
    "fill_gauge_cycle2" REAL,
    "grind_size" TEXT,
    "days_since_harvest" INTEGER,
    "yield_percent" REAL,
    "weight_check_pass_rate" REAL,
    "priority_mode" TEXT NOT NULL DEFAULT 'weight',
    "notes" TEXT,
    "actor" TEXT NOT NULL,
    "recorded_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" DATETIME,
    CONSTRAINT "centrifuge_outcomes_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "centrifuge_recommendations" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "strain" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "grind_size" TEXT NOT NULL DEFAULT '',
    "rpm" INTEGER NOT NULL,
    "time_seconds" INTEGER NOT NULL,
    "cycles" INTEGER NOT NULL DEFAULT 1,
    "fill_gauge_cycle1" REAL,
    "fill_gauge_cycle2" REAL,
    "confidence" REAL NOT NULL,
    "sample_size" INTEGER NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "batch_inputs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "batch_id" TEXT NOT NULL,
    "source_metrc_number" TEXT NOT NULL,
    "grams" REAL NOT NULL,
    "notes" TEXT,
    "actor" TEXT NOT NULL,
    "added_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "batch_inputs_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "supplies" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "size" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL,
    "unit" TEXT NOT NULL DEFAULT 'papers',
    "boxes" INTEGER NOT NULL DEFAULT 0,
    "individual_units" INTEGER NOT NULL DEFAULT 0,
    "units_per_box" INTEGER NOT NULL DEFAULT 1000,
    "low_threshold_boxes" INTEGER NOT NULL DEFAULT 5,
    "alert_dismissed_at" DATETIME,
    "last_updated" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "inventory_usage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "supply_id" TEXT,
    "size" TEXT NOT NULL,
    "units_used" INTEGER NOT NULL,
    "batch_id" TEXT,
    "reason" TEXT NOT NULL DEFAULT 'counts',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "inventory_usage_supply_id_fkey" FOREIGN KEY ("supply_id") REFERENCES "supplies" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "bom_items" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "supply_id" TEXT NOT NULL,
    "applies_to" TEXT NOT NULL,
    "quantity" REAL NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "bom_items_supply_id_fkey" FOREIGN KEY ("supply_id") REFERENCES "supplies" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "finished_goods" (
    "metrc_number" TEXT NOT NULL PRIMARY KEY,
    "strain" TEXT NOT NULL,
    "initial_grams" REAL NOT NULL,
    "current_grams" REAL NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "created_date" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_date" DATETIME NOT NULL,
    "notes" TEXT,
    "source_batch_id" TEXT,
    "grams_ordered" REAL NOT NULL DEFAULT 0,
    "grams_packed" REAL NOT NULL DEFAULT 0,
    "grams_packed_lifetime" REAL NOT NULL DEFAULT 0,
    "grams_fulfilled" REAL NOT NULL DEFAULT 0,
    "sku_breakdown" JSONB,
    "apex_auto_inventory" BOOLEAN NOT NULL DEFAULT false,
    "apex_units" JSONB,
    "apex_sku_settings" JSONB,
    "custom_skus" JSONB,
    "physical_grams_override" REAL,
    "lab_override_reason" TEXT,
    CONSTRAINT "finished_goods_source_batch_id_fkey" FOREIGN KEY ("source_batch_id") REFERENCES "batches" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "finished_goods_history" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "metrc_number" TEXT NOT NULL,
    "timestamp" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_type" TEXT NOT NULL,
    "grams_changed" REAL,
    "current_grams" REAL NOT NULL,
    "grams_ordered" REAL NOT NULL DEFAULT 0,
    "grams_packed" REAL NOT NULL DEFAULT 0,
    "grams_fulfilled" REAL NOT NULL DEFAULT 0,
    "status" TEXT,
    "details" JSONB,
    "actor" TEXT,
    "reason" TEXT
);

-- CreateTable
CREATE TABLE "apex_decrements" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "metrc_number" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "apex_decrements_metrc_number_fkey" FOREIGN KEY ("metrc_number") REFERENCES "finished_goods" ("metrc_number") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "wholesale_holds" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "metrc_number" TEXT NOT NULL,
    "sku_name" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "notes" TEXT,
    "created_by" TEXT,
    "created_date" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "wholesale_holds_metrc_number_fkey" FOREIGN KEY ("metrc_number") REFERENCES "finished_goods" ("metrc_number") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "recommendation_snapshots" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "timestamp" TEXT NOT NULL,
    "files_processed" JSONB NOT NULL,
    "strain_count" INTEGER NOT NULL,
    "store_count" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "uploaded_by" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "label" TEXT,
    "field" TEXT NOT NULL,
    "old" TEXT,
    "new" TEXT,
    "actor" TEXT NOT NULL,
    "trace_id" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "events" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "actor" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "subscribers" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "event_types" TEXT NOT NULL,
    "filter" JSONB,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "secret" TEXT,
    "previous_secret" TEXT,
    "previous_secret_expires_at" DATETIME,
    "ordered" BOOLEAN NOT NULL DEFAULT false,
    "max_attempts" INTEGER NOT NULL DEFAULT 8,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "failing_since" DATETIME,
    "disabled_reason" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "event_id" INTEGER NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" DATETIME,
    "locked_by" TEXT,
    "last_error" TEXT,
    "last_status_code" INTEGER,
    "completed_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "deliveries_subscriber_id_fkey" FOREIGN KEY ("subscriber_id") REFERENCES "subscribers" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "delivery_id" TEXT NOT NULL,
    "attempt_number" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'scheduled',
    "url" TEXT,
    "started_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "duration_ms" INTEGER,
    "status_code" INTEGER,
    "response_excerpt" TEXT,
    "error" TEXT,
    "next_attempt_at" DATETIME,
    CONSTRAINT "delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "event_sources" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "cursor_param" TEXT NOT NULL DEFAULT 'after',
    "limit" INTEGER NOT NULL DEFAULT 100,
    "type_mapping" JSONB,
    "auth_header" TEXT,
    "interval_seconds" INTEGER NOT NULL DEFAULT 60,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "cursor" TEXT,
    "last_polled_at" DATETIME,
    "last_status" TEXT,
    "last_error" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "inbound_events" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source_id" TEXT NOT NULL,
    "source_event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "mapped_type" TEXT,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "received_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" DATETIME,
    CONSTRAINT "inbound_events_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "event_sources" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "cursors" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "position" INTEGER NOT NULL DEFAULT 0,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "jobs" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "interval_seconds" INTEGER NOT NULL,
    "next_run_at" DATETIME NOT NULL,
    "last_started_at" DATETIME,
    "last_finished_at" DATETIME,
    "last_status" TEXT,
    "last_error" TEXT,
    "lease_owner" TEXT,
    "lease_until" DATETIME,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'worker',
    "started_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "beat_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "info" JSONB
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "principal" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status_code" INTEGER,
    "response_body" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" DATETIME,
    "expires_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_prefix_idx" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "recovery_keys_user_id_idx" ON "recovery_keys"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "password_reset_tokens_token_hash_key" ON "password_reset_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "batches_strain_idx" ON "batches"("strain");

-- CreateIndex
CREATE INDEX "batches_stage_idx" ON "batches"("stage");

-- CreateIndex
CREATE INDEX "batches_archived_display_order_idx" ON "batches"("archived", "display_order");

-- CreateIndex
CREATE INDEX "batches_new_metrc_number_idx" ON "batches"("new_metrc_number");

-- CreateIndex
CREATE INDEX "stage_history_batch_id_at_idx" ON "stage_history"("batch_id", "at");

-- CreateIndex
CREATE INDEX "count_entries_batch_id_at_idx" ON "count_entries"("batch_id", "at");

-- CreateIndex
CREATE INDEX "count_entries_at_idx" ON "count_entries"("at");

-- CreateIndex
CREATE INDEX "weight_checks_batch_id_size_recorded_at_idx" ON "weight_checks"("batch_id", "size", "recorded_at");

-- CreateIndex
CREATE INDEX "centrifuge_outcomes_strain_size_idx" ON "centrifuge_outcomes"("strain", "size");

-- CreateIndex
CREATE INDEX "centrifuge_outcomes_processed_at_idx" ON "centrifuge_outcomes"("processed_at");

-- CreateIndex
CREATE UNIQUE INDEX "centrifuge_recommendations_strain_size_grind_size_key" ON "centrifuge_recommendations"("strain", "size", "grind_size");

-- CreateIndex
CREATE INDEX "batch_inputs_batch_id_idx" ON "batch_inputs"("batch_id");

-- CreateIndex
CREATE INDEX "batch_inputs_source_metrc_number_idx" ON "batch_inputs"("source_metrc_number");

-- CreateIndex
CREATE UNIQUE INDEX "supplies_kind_size_key" ON "supplies"("kind", "size");

-- CreateIndex
CREATE INDEX "inventory_usage_size_at_idx" ON "inventory_usage"("size", "at");

-- CreateIndex
CREATE INDEX "inventory_usage_at_idx" ON "inventory_usage"("at");

-- CreateIndex
CREATE INDEX "inventory_usage_batch_id_idx" ON "inventory_usage"("batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "bom_items_supply_id_applies_to_key" ON "bom_items"("supply_id", "applies_to");

-- CreateIndex
CREATE INDEX "finished_goods_status_idx" ON "finished_goods"("status");

-- CreateIndex
CREATE INDEX "finished_goods_strain_idx" ON "finished_goods"("strain");

-- CreateIndex
CREATE INDEX "finished_goods_source_batch_id_idx" ON "finished_goods"("source_batch_id");

-- CreateIndex
CREATE INDEX "finished_goods_history_metrc_number_timestamp_idx" ON "finished_goods_history"("metrc_number", "timestamp");

-- CreateIndex
CREATE INDEX "finished_goods_history_timestamp_idx" ON "finished_goods_history"("timestamp");

-- CreateIndex
CREATE UNIQUE INDEX "apex_decrements_metrc_number_idempotency_key_key" ON "apex_decrements"("metrc_number", "idempotency_key");

-- CreateIndex
CREATE INDEX "wholesale_holds_metrc_number_idx" ON "wholesale_holds"("metrc_number");

-- CreateIndex
CREATE INDEX "wholesale_holds_sku_name_idx" ON "wholesale_holds"("sku_name");

-- CreateIndex
CREATE INDEX "wholesale_holds_created_date_idx" ON "wholesale_holds"("created_date");

-- CreateIndex
CREATE UNIQUE INDEX "recommendation_snapshots_timestamp_key" ON "recommendation_snapshots"("timestamp");

-- CreateIndex
CREATE INDEX "recommendation_snapshots_created_at_idx" ON "recommendation_snapshots"("created_at");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_entity_id_idx" ON "audit_log"("entity", "id");

-- CreateIndex
CREATE INDEX "audit_log_entity_entity_id_at_idx" ON "audit_log"("entity", "entity_id", "at");

-- CreateIndex
CREATE INDEX "events_type_id_idx" ON "events"("type", "id");

-- CreateIndex
CREATE INDEX "events_created_at_idx" ON "events"("created_at");

-- CreateIndex
CREATE INDEX "events_trace_id_idx" ON "events"("trace_id");

-- CreateIndex
CREATE UNIQUE INDEX "subscribers_name_key" ON "subscribers"("name");

-- CreateIndex
CREATE INDEX "subscribers_active_idx" ON "subscribers"("active");

-- CreateIndex
CREATE INDEX "deliveries_status_next_attempt_at_idx" ON "deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "deliveries_subscriber_id_status_event_id_idx" ON "deliveries"("subscriber_id", "status", "event_id");

-- CreateIndex
CREATE INDEX "deliveries_locked_until_idx" ON "deliveries"("locked_until");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_event_id_subscriber_id_key" ON "deliveries"("event_id", "subscriber_id");

-- CreateIndex
CREATE INDEX "delivery_attempts_delivery_id_attempt_number_idx" ON "delivery_attempts"("delivery_id", "attempt_number");

-- CreateIndex
CREATE INDEX "delivery_attempts_started_at_idx" ON "delivery_attempts"("started_at");

-- CreateIndex
CREATE UNIQUE INDEX "event_sources_name_key" ON "event_sources"("name");

-- CreateIndex
CREATE INDEX "inbound_events_status_received_at_idx" ON "inbound_events"("status", "received_at");

-- CreateIndex
CREATE INDEX "inbound_events_received_at_idx" ON "inbound_events"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_events_source_id_source_event_id_key" ON "inbound_events"("source_id", "source_event_id");

-- CreateIndex
CREATE INDEX "worker_heartbeats_beat_at_idx" ON "worker_heartbeats"("beat_at");

-- CreateIndex
CREATE INDEX "idempotency_records_expires_at_idx" ON "idempotency_records"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_records_principal_key_key" ON "idempotency_records"("principal", "key");
