-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'operator',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "session_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "last_login_at" TIMESTAMP(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'operator',
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recovery_keys" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMP(3),

    CONSTRAINT "recovery_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "password_reset_tokens" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "password_reset_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "updated_by" TEXT,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "batches" (
    "id" TEXT NOT NULL,
    "strain" TEXT NOT NULL,
    "input_grams" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "target_grams_each" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "produced" INTEGER NOT NULL DEFAULT 0,
    "grams_used" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "grams_ground" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "stage" INTEGER NOT NULL DEFAULT 0,
    "stage_entered_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "counts_0_5" INTEGER NOT NULL DEFAULT 0,
    "counts_0_7" INTEGER NOT NULL DEFAULT 0,
    "counts_1_0" INTEGER NOT NULL DEFAULT 0,
    "last_inventory_consumed_0_5" INTEGER NOT NULL DEFAULT 0,
    "last_inventory_consumed_0_7" INTEGER NOT NULL DEFAULT 0,
    "last_inventory_consumed_1_0" INTEGER NOT NULL DEFAULT 0,
    "planned_0_5" INTEGER NOT NULL DEFAULT 0,
    "planned_0_7" INTEGER NOT NULL DEFAULT 0,
    "planned_1_0" INTEGER NOT NULL DEFAULT 0,
    "plan_use_grams" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "labels_printed" INTEGER NOT NULL DEFAULT 0,
    "display_order" INTEGER NOT NULL DEFAULT 0,
    "production_start_time" TIMESTAMP(3),
    "production_end_time" TIMESTAMP(3),
    "production_duration_hours" DOUBLE PRECISION,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "archived_at" TIMESTAMP(3),
    "harvest_date" TEXT,
    "bay_number" TEXT,
    "thc_percent" DOUBLE PRECISION,
    "thca_percent" DOUBLE PRECISION,
    "tac_percent" DOUBLE PRECISION,
    "cbd_percent" DOUBLE PRECISION,
    "origin_metrc_number" TEXT,
    "new_metrc_created" BOOLEAN NOT NULL DEFAULT false,
    "new_metrc_number" TEXT,
    "metrc_transferred" BOOLEAN NOT NULL DEFAULT false,
    "metrc_batch_created" BOOLEAN NOT NULL DEFAULT false,
    "centrifuge_rpm" INTEGER,
    "centrifuge_time_seconds" INTEGER,
    "centrifuge_cycles" INTEGER,
    "centrifuge_fill_gauge_cycle1" DOUBLE PRECISION,
    "centrifuge_fill_gauge_cycle2" DOUBLE PRECISION,
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
    "packaging_blocked_since" TIMESTAMP(3),
    "cached_production_rate" DOUBLE PRECISION,
    "rate_calculation_time" TIMESTAMP(3),
    "rate_history" JSONB,
    "rate_metrics" JSONB,
    "last_rate_update" TIMESTAMP(3),
    "production_sessions" JSONB,
    "current_session_start" TIMESTAMP(3),
    "total_work_hours" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "paper_size_override" TEXT,
    "is_infused" BOOLEAN NOT NULL DEFAULT false,
    "source_materials" JSONB,
    "weight_log_0_5" JSONB,
    "weight_log_0_7" JSONB,
    "weight_log_1_0" JSONB,
    "running_yield_0_5" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "running_yield_0_7" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "running_yield_1_0" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "last_weight_check_count_0_5" INTEGER NOT NULL DEFAULT 0,
    "last_weight_check_count_0_7" INTEGER NOT NULL DEFAULT 0,
    "last_weight_check_count_1_0" INTEGER NOT NULL DEFAULT 0,
    "last_weight_check_date_0_5" TIMESTAMP(3),
    "last_weight_check_date_0_7" TIMESTAMP(3),
    "last_weight_check_date_1_0" TIMESTAMP(3),
    "final_weight_0_5" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "final_weight_0_7" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "final_weight_1_0" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "grind_size" TEXT,
    "packaged_singles" INTEGER NOT NULL DEFAULT 0,
    "packaged_6_packs" INTEGER NOT NULL DEFAULT 0,
    "packaged_12_packs" INTEGER NOT NULL DEFAULT 0,
    "loose_tupperware" INTEGER NOT NULL DEFAULT 0,
    "lab_sample_grams" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "waste_grams" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "remainder_grams" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stage_history" (
    "id" SERIAL NOT NULL,
    "batch_id" TEXT NOT NULL,
    "from_stage" INTEGER,
    "to_stage" INTEGER NOT NULL,
    "auto" BOOLEAN NOT NULL DEFAULT false,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stage_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "count_entries" (
    "id" SERIAL NOT NULL,
    "batch_id" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "total_after" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'api',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "count_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "weight_checks" (
    "id" SERIAL NOT NULL,
    "batch_id" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "sample_weight" DOUBLE PRECISION NOT NULL,
    "sample_units" INTEGER NOT NULL DEFAULT 10,
    "count_at_measurement" INTEGER NOT NULL,
    "unit_weight" DOUBLE PRECISION NOT NULL,
    "target_weight" DOUBLE PRECISION NOT NULL,
    "within_tolerance" BOOLEAN NOT NULL,
    "actor" TEXT NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "weight_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "centrifuge_outcomes" (
    "id" SERIAL NOT NULL,
    "batch_id" TEXT,
    "strain" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "machine" TEXT NOT NULL DEFAULT 'silver_bullet',
    "rpm" INTEGER NOT NULL,
    "time_seconds" INTEGER NOT NULL,
    "cycles" INTEGER NOT NULL DEFAULT 1,
    "fill_gauge_cycle1" DOUBLE PRECISION,
    "fill_gauge_cycle2" DOUBLE PRECISION,
    "grind_size" TEXT,
    "days_since_harvest" INTEGER,
    "yield_percent" DOUBLE PRECISION,
    "weight_check_pass_rate" DOUBLE PRECISION,
    "priority_mode" TEXT NOT NULL DEFAULT 'weight',
    "notes" TEXT,
    "actor" TEXT NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "centrifuge_outcomes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "centrifuge_recommendations" (
    "id" SERIAL NOT NULL,
    "strain" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "grind_size" TEXT NOT NULL DEFAULT '',
    "rpm" INTEGER NOT NULL,
    "time_seconds" INTEGER NOT NULL,
    "cycles" INTEGER NOT NULL DEFAULT 1,
    "fill_gauge_cycle1" DOUBLE PRECISION,
    "fill_gauge_cycle2" DOUBLE PRECISION,
    "confidence" DOUBLE PRECISION NOT NULL,
    "sample_size" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "centrifuge_recommendations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "batch_inputs" (
    "id" SERIAL NOT NULL,
    "batch_id" TEXT NOT NULL,
    "source_metrc_number" TEXT NOT NULL,
    "grams" DOUBLE PRECISION NOT NULL,
    "notes" TEXT,
    "actor" TEXT NOT NULL,
    "added_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "batch_inputs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "supplies" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "size" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL,
    "unit" TEXT NOT NULL DEFAULT 'papers',
    "boxes" INTEGER NOT NULL DEFAULT 0,
    "individual_units" INTEGER NOT NULL DEFAULT 0,
    "units_per_box" INTEGER NOT NULL DEFAULT 1000,
    "low_threshold_boxes" INTEGER NOT NULL DEFAULT 5,
    "alert_dismissed_at" TIMESTAMP(3),
    "last_updated" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "supplies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inventory_usage" (
    "id" SERIAL NOT NULL,
    "supply_id" TEXT,
    "size" TEXT NOT NULL,
    "units_used" INTEGER NOT NULL,
    "batch_id" TEXT,
    "reason" TEXT NOT NULL DEFAULT 'counts',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inventory_usage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bom_items" (
    "id" SERIAL NOT NULL,
    "supply_id" TEXT NOT NULL,
    "applies_to" TEXT NOT NULL,
    "quantity" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bom_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finished_goods" (
    "metrc_number" TEXT NOT NULL,
    "strain" TEXT NOT NULL,
    "initial_grams" DOUBLE PRECISION NOT NULL,
    "current_grams" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "created_date" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_date" TIMESTAMP(3) NOT NULL,
    "notes" TEXT,
    "source_batch_id" TEXT,
    "grams_ordered" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "grams_packed" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "grams_packed_lifetime" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "grams_fulfilled" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sku_breakdown" JSONB,
    "apex_auto_inventory" BOOLEAN NOT NULL DEFAULT false,
    "apex_units" JSONB,
    "apex_sku_settings" JSONB,
    "custom_skus" JSONB,
    "physical_grams_override" DOUBLE PRECISION,
    "lab_override_reason" TEXT,

    CONSTRAINT "finished_goods_pkey" PRIMARY KEY ("metrc_number")
);

-- CreateTable
CREATE TABLE "finished_goods_history" (
    "id" SERIAL NOT NULL,
    "metrc_number" TEXT NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "change_type" TEXT NOT NULL,
    "grams_changed" DOUBLE PRECISION,
    "current_grams" DOUBLE PRECISION NOT NULL,
    "grams_ordered" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "grams_packed" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "grams_fulfilled" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "status" TEXT,
    "details" JSONB,
    "actor" TEXT,
    "reason" TEXT,

    CONSTRAINT "finished_goods_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "apex_decrements" (
    "id" SERIAL NOT NULL,
    "metrc_number" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "apex_decrements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wholesale_holds" (
    "id" TEXT NOT NULL,
    "metrc_number" TEXT NOT NULL,
    "sku_name" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "notes" TEXT,
    "created_by" TEXT,
    "created_date" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wholesale_holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recommendation_snapshots" (
    "id" SERIAL NOT NULL,
    "timestamp" TEXT NOT NULL,
    "files_processed" JSONB NOT NULL,
    "strain_count" INTEGER NOT NULL,
    "store_count" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "uploaded_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recommendation_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "label" TEXT,
    "field" TEXT NOT NULL,
    "old" TEXT,
    "new" TEXT,
    "actor" TEXT NOT NULL,
    "trace_id" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" SERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "actor" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscribers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "event_types" TEXT NOT NULL,
    "filter" JSONB,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "secret" TEXT,
    "previous_secret" TEXT,
    "previous_secret_expires_at" TIMESTAMP(3),
    "ordered" BOOLEAN NOT NULL DEFAULT false,
    "max_attempts" INTEGER NOT NULL DEFAULT 8,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "failing_since" TIMESTAMP(3),
    "disabled_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "subscribers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" TEXT NOT NULL,
    "event_id" INTEGER NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMP(3),
    "locked_by" TEXT,
    "last_error" TEXT,
    "last_status_code" INTEGER,
    "completed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" SERIAL NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "attempt_number" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'scheduled',
    "url" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "duration_ms" INTEGER,
    "status_code" INTEGER,
    "response_excerpt" TEXT,
    "error" TEXT,
    "next_attempt_at" TIMESTAMP(3),

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_sources" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "cursor_param" TEXT NOT NULL DEFAULT 'after',
    "limit" INTEGER NOT NULL DEFAULT 100,
    "type_mapping" JSONB,
    "auth_header" TEXT,
    "interval_seconds" INTEGER NOT NULL DEFAULT 60,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "cursor" TEXT,
    "last_polled_at" TIMESTAMP(3),
    "last_status" TEXT,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "event_sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_events" (
    "id" SERIAL NOT NULL,
    "source_id" TEXT NOT NULL,
    "source_event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "mapped_type" TEXT,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "inbound_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cursors" (
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cursors_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "jobs" (
    "name" TEXT NOT NULL,
    "interval_seconds" INTEGER NOT NULL,
    "next_run_at" TIMESTAMP(3) NOT NULL,
    "last_started_at" TIMESTAMP(3),
    "last_finished_at" TIMESTAMP(3),
    "last_status" TEXT,
    "last_error" TEXT,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'worker',
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "beat_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "info" JSONB,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "id" TEXT NOT NULL,
    "principal" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status_code" INTEGER,
    "response_body" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recovery_keys" ADD CONSTRAINT "recovery_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_history" ADD CONSTRAINT "stage_history_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "count_entries" ADD CONSTRAINT "count_entries_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "weight_checks" ADD CONSTRAINT "weight_checks_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "centrifuge_outcomes" ADD CONSTRAINT "centrifuge_outcomes_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "batch_inputs" ADD CONSTRAINT "batch_inputs_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory_usage" ADD CONSTRAINT "inventory_usage_supply_id_fkey" FOREIGN KEY ("supply_id") REFERENCES "supplies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bom_items" ADD CONSTRAINT "bom_items_supply_id_fkey" FOREIGN KEY ("supply_id") REFERENCES "supplies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finished_goods" ADD CONSTRAINT "finished_goods_source_batch_id_fkey" FOREIGN KEY ("source_batch_id") REFERENCES "batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "apex_decrements" ADD CONSTRAINT "apex_decrements_metrc_number_fkey" FOREIGN KEY ("metrc_number") REFERENCES "finished_goods"("metrc_number") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wholesale_holds" ADD CONSTRAINT "wholesale_holds_metrc_number_fkey" FOREIGN KEY ("metrc_number") REFERENCES "finished_goods"("metrc_number") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_subscriber_id_fkey" FOREIGN KEY ("subscriber_id") REFERENCES "subscribers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_events" ADD CONSTRAINT "inbound_events_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "event_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
