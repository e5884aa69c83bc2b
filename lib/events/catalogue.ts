import { z } from "zod";

/**
 * Every event type the system publishes, once, with the schema of its payload.
 * The outbox (`emit` inside `mutate`) refuses unknown types and payloads that do not match:
 * both are programming errors and a test drives each entry (tests/unit/catalogue.test.ts).
 */

const size = z.enum(["0_5", "0_7", "1_0"]);
const perSize = z.strictObject({ "0_5": z.number(), "0_7": z.number(), "1_0": z.number() });
const batchRef = { batch_id: z.string(), strain: z.string() };
const fgRef = { metrc_number: z.string(), strain: z.string() };
const batchInputRef = { ...batchRef, input_id: z.number().int(), source_metrc_number: z.string(), grams: z.number() };
const gramsMove = {
  ...fgRef,
  previous_grams: z.number(),
  current_grams: z.number(),
  grams: z.number(),
  reason: z.string().nullable(),
};

export const eventCatalogue = {
  // Batches and production
  "batch.created": z.strictObject({ ...batchRef, input_grams: z.number(), stage: z.number().int() }),
  "batch.updated": z.strictObject({ ...batchRef, changed_fields: z.array(z.string()) }),
  "batch.deleted": z.strictObject(batchRef),
  "batch.stage_changed": z.strictObject({
    ...batchRef,
    from: z.number().int(),
    to: z.number().int(),
    auto: z.boolean(),
  }),
  "batch.counts_changed": z.strictObject({ ...batchRef, deltas: perSize, counts: perSize }),
  "batch.archived": z.strictObject({ ...batchRef, archived: z.boolean() }),
  "batch.reordered": z.strictObject({ batch_ids: z.array(z.string()) }),
  "batch.plan_updated": z.strictObject({ ...batchRef, planned: perSize, adjusted: z.boolean() }),
  "batch.centrifuge_updated": z.strictObject({ ...batchRef, changed_fields: z.array(z.string()) }),
  "batch.testing_overdue": z.strictObject({
    ...batchRef,
    hours_in_stage: z.number(),
    threshold_hours: z.number(),
    /** When the batch entered stage 4: one alert per stay (lib/domain/alerts/testing-alerts.ts). */
    stage_entered_at: z.string().optional(),
  }),
  /** A batch reached Done with a gap beyond `mass_balance_tolerance_percent` (lib/domain/batches/mass-balance.ts). */
  "batch.mass_balance_gap": z.strictObject({
    ...batchRef,
    gap_grams: z.number(),
    tolerance_grams: z.number(),
    gap_percent: z.number(),
    tolerance_percent: z.number(),
    input_grams: z.number(),
    product_grams: z.number(),
    lab_sample_grams: z.number(),
    waste_grams: z.number(),
    remainder_grams: z.number(),
    accounted_grams: z.number(),
    fill_basis: z.enum(["measured", "nominal", "mixed", "none"]),
  }),
  // Genealogy: the METRC source packages a batch was made from (lib/domain/genealogy/).
  "batch.input_added": z.strictObject({ ...batchInputRef, inputs_total_grams: z.number() }),
  "batch.input_changed": z.strictObject({
    ...batchInputRef,
    previous_source_metrc_number: z.string(),
    previous_grams: z.number(),
    changed_fields: z.array(z.string()),
    inputs_total_grams: z.number(),
  }),
  "batch.input_removed": z.strictObject({ ...batchInputRef, inputs_total_grams: z.number() }),
  "weight_check.recorded": z.strictObject({
    ...batchRef,
    size,
    unit_weight: z.number(),
    target_weight: z.number(),
    within_tolerance: z.boolean(),
    // unit_weight is the gross weight of one pre-roll; flower_weight = unit − tare (the cone);
    // deviation/status compare the flower weight with the size's nominal fill.
    check_id: z.number().int(),
    flower_weight: z.number(),
    deviation_percent: z.number(),
    status: z.enum(["good", "warning", "bad"]),
    count_at_measurement: z.number().int(),
    running_yield: z.number(),
  }),
  "weight_check.out_of_tolerance": z.strictObject({
    ...batchRef,
    size,
    unit_weight: z.number(),
    target_weight: z.number(),
    deviation_percent: z.number(),
    check_id: z.number().int(),
    flower_weight: z.number(),
    tolerance_percent: z.number(),
    status: z.enum(["warning", "bad"]),
  }),
  /** An admin removed a wrong weight check; the log and running yield were recomputed. */
  "weight_check.deleted": z.strictObject({
    ...batchRef,
    size,
    check_id: z.number().int(),
    sample_weight: z.number(),
    unit_weight: z.number(),
    count_at_measurement: z.number().int(),
    reason: z.string().nullable(),
    running_yield: z.number(),
  }),
  "centrifuge.outcome_recorded": z.strictObject({ outcome_id: z.number().int(), strain: z.string(), size }),
  "learning.recommendations_updated": z.strictObject({ strains: z.array(z.string()), outcomes_processed: z.number().int() }),

  // Finished goods
  "finished_good.created": z.strictObject({ ...fgRef, grams: z.number(), source_batch_id: z.string().nullable() }),
  "finished_good.updated": z.strictObject({ ...fgRef, updated_fields: z.array(z.string()) }),
  "finished_good.deducted": z.strictObject(gramsMove),
  "finished_good.added": z.strictObject(gramsMove),
  "finished_good.packed": z.strictObject(gramsMove),
  /** Order tracking changed: which operation (order adds, set_* and sync replace totals). */
  "finished_good.ordered": z.strictObject({
    ...fgRef,
    grams_ordered: z.number(),
    grams_packed: z.number(),
    action: z.enum(["order", "set_ordered", "set_packed", "sync"]).optional(),
  }),
  "finished_good.order_completed": z.strictObject({ ...gramsMove, order_id: z.string().nullable() }),
  "finished_good.overridden": z.strictObject({
    ...fgRef,
    physical_grams_override: z.number().nullable(),
    effective_grams: z.number(),
  }),
  "finished_good.apex_updated": z.strictObject({ ...fgRef, changed: z.array(z.string()) }),
  "finished_good.apex_decremented": z.strictObject({
    ...fgRef,
    sku: z.string(),
    units: z.number().int(),
    idempotency_key: z.string().nullable(),
    // A sale of `units` takes `grams` (units × the SKU's grams per unit) off the package.
    grams: z.number(),
    previous_units: z.number().int(),
    current_units: z.number().int(),
    current_grams: z.number(),
  }),
  "finished_good.archived": z.strictObject({ ...fgRef, status: z.string() }),
  "finished_good.restored": z.strictObject({ ...fgRef, status: z.string() }),
  "finished_good.deleted": z.strictObject(fgRef),

  // Supplies, wholesale, alerts, sync
  "supply.updated": z.strictObject({
    supply_id: z.string(),
    kind: z.string(),
    size: z.string().nullable(),
    boxes: z.number().int(),
    individual_units: z.number().int(),
    total_units: z.number().int(),
  }),
  "supply.low_stock": z.strictObject({
    supply_id: z.string(),
    kind: z.string(),
    size: z.string().nullable(),
    total_units: z.number().int(),
    threshold_boxes: z.number().int(),
  }),
  /** A low-stock alert was dismissed at this stock level (it returns one full box lower, or after a restock). */
  "supply.alert_dismissed": z.strictObject({
    supply_id: z.string(),
    kind: z.string(),
    size: z.string().nullable(),
    total_units: z.number().int(),
    threshold_boxes: z.number().int(),
  }),
  "inventory.alert": z.strictObject({
    level: z.enum(["warning", "critical"]),
    kind: z.enum(["finished_good", "supply"]),
    subject: z.string(),
    message: z.string(),
    grams: z.number().optional(),
  }),
  "wholesale.hold_created": z.strictObject({
    hold_id: z.string(),
    metrc_number: z.string(),
    sku_name: z.string(),
    quantity: z.number().int(),
  }),
  "wholesale.hold_released": z.strictObject({
    hold_id: z.string(),
    metrc_number: z.string(),
    sku_name: z.string(),
    quantity: z.number().int(),
  }),
  "sync.requested": z.strictObject({ requested_at: z.string() }),
  "sync.completed": z.strictObject({ completed_at: z.string(), packages_synced: z.number().int().optional() }),
  "snapshot.created": z.strictObject({ timestamp: z.string(), strain_count: z.number().int(), store_count: z.number().int() }),

  // Files, imports, backups, jobs
  /** A complete file appeared in the inbox folder (lib/events/inbox/watch-inbox.ts); `path` is absolute. */
  "file.received": z.strictObject({
    path: z.string(),
    name: z.string(),
    size_bytes: z.number().int(),
    sha256: z.string().optional(),
    /** The file's modification time: with path and sha256 it tells a file still waiting from a new drop. */
    modified_at: z.string().optional(),
  }),
  /**
   * A file.received was imported (lib/domain/imports/). `kind` = `target`; `file` is the name.
   * All or nothing, so `rows_ok` = `rows` and `rows_failed` = 0; `skipped` rows changed nothing.
   * Also the one event of a switch-over (`npm run import-legacy`, lib/domain/legacy-import/):
   * `kind` "legacy_preroll_tracker", `tables` = rows imported per legacy table.
   */
  "import.completed": z.strictObject({
    file: z.string(),
    kind: z.string(),
    rows_ok: z.number().int(),
    rows_failed: z.number().int(),
    target: z.enum(["sales", "papers", "finished_goods"]).optional(),
    rows: z.number().int().optional(),
    created: z.number().int().optional(),
    updated: z.number().int().optional(),
    skipped: z.number().int().optional(),
    warnings: z.array(z.string()).optional(),
    snapshot_timestamp: z.string().optional(),
    /** The file.received event this import answers. */
    source_event_id: z.number().int().optional(),
    moved_to: z.string().nullable().optional(),
    tables: z.record(z.string(), z.number().int()).optional(),
  }),
  /** Nothing was applied. `row` is the file's line number (the header is row 1), as a spreadsheet shows it. */
  "import.failed": z.strictObject({
    file: z.string(),
    kind: z.string().nullable(),
    error: z.string(),
    target: z.enum(["sales", "papers", "finished_goods"]).nullable().optional(),
    row: z.number().int().nullable().optional(),
    /** Up to 20 problems, each naming its row (the file may have more: `error_count`). */
    problems: z.array(z.string()).optional(),
    error_count: z.number().int().optional(),
    source_event_id: z.number().int().optional(),
    moved_to: z.string().nullable().optional(),
  }),
  /** A backup claimed the one-at-a-time slot (lib/domain/backups/run-backup.ts); `file` is the name it will have. */
  "backup.started": z.strictObject({
    backup_id: z.string(),
    file: z.string(),
    trigger: z.enum(["scheduled", "manual", "subscriber"]),
    encrypted: z.boolean(),
  }),
  "backup.completed": z.strictObject({
    file: z.string(),
    size_bytes: z.number().int(),
    sha256: z.string(),
    duration_ms: z.number(),
    backup_id: z.string().optional(),
    trigger: z.enum(["scheduled", "manual", "subscriber"]).optional(),
    encrypted: z.boolean().optional(),
    /** Size of the SQLite copy before compression. */
    db_bytes: z.number().int().optional(),
    /** The copy in BACKUP_UPLOAD_DIR; null when none is configured or the copy failed (`upload_error`). */
    uploaded_to: z.string().nullable().optional(),
    upload_error: z.string().nullable().optional(),
  }),
  /** `stale`: a `running` backup whose process died; the next backup marked it failed. */
  "backup.failed": z.strictObject({
    error: z.string(),
    backup_id: z.string().optional(),
    file: z.string().optional(),
    trigger: z.string().optional(),
    duration_ms: z.number().optional(),
    stale: z.boolean().optional(),
  }),
  /** Retention removed these backup files (BACKUP_KEEP newest + one per day for BACKUP_KEEP_DAILY days). */
  "backup.pruned": z.strictObject({
    deleted: z.array(z.strictObject({ backup_id: z.string(), file: z.string() })),
    kept: z.number().int(),
  }),
  "job.started": z.strictObject({
    job: z.string(),
    run_id: z.string(),
    /** scheduled (interval), manual ("run now"), event (after inventory changes). */
    trigger: z.enum(["scheduled", "manual", "event"]).optional(),
    requested_by: z.string().nullable().optional(),
    /** Set when this run took over a lease whose owner stopped renewing it (a crashed worker). */
    took_over_from: z.string().optional(),
  }),
  "job.completed": z.strictObject({ job: z.string(), run_id: z.string(), duration_ms: z.number(), result: z.unknown().optional() }),
  "job.failed": z.strictObject({ job: z.string(), run_id: z.string(), duration_ms: z.number(), error: z.string() }),
  "job.run_requested": z.strictObject({ job: z.string(), requested_by: z.string() }),
  "job.updated": z.strictObject({
    job: z.string(),
    changed_fields: z.array(z.string()),
    enabled: z.boolean(),
    interval_seconds: z.number().int(),
    interval_source: z.enum(["default", "override"]),
  }),

  // Event system itself
  "subscriber.disabled": z.strictObject({ subscriber_id: z.string(), name: z.string(), reason: z.string() }),
  "delivery.dead": z.strictObject({ delivery_id: z.string(), subscriber_id: z.string(), event_id: z.number().int() }),
  /** An event polled from an external source (SPEC §4.4) was stored, with how it was handled. */
  "inbound.received": z.strictObject({
    source: z.string(),
    source_event_id: z.string(),
    type: z.string(),
    source_id: z.string().optional(),
    inbound_event_id: z.number().int().optional(),
    mapped_type: z.string().nullable().optional(),
    status: z.enum(["processed", "failed", "ignored"]).optional(),
    error: z.string().nullable().optional(),
  }),
  /** A stored inbound event was handled again by hand (POST /api/webhooks/events/{id}/reprocess). */
  "inbound.reprocessed": z.strictObject({
    source: z.string(),
    source_id: z.string(),
    source_event_id: z.string(),
    inbound_event_id: z.number().int(),
    type: z.string(),
    mapped_type: z.string().nullable(),
    previous_status: z.string(),
    status: z.enum(["processed", "failed", "ignored"]),
    error: z.string().nullable(),
  }),
  "event_source.created": z.strictObject({ source_id: z.string(), name: z.string(), url: z.string() }),
  "event_source.updated": z.strictObject({ source_id: z.string(), name: z.string(), changed_fields: z.array(z.string()) }),
  "event_source.deleted": z.strictObject({ source_id: z.string(), name: z.string() }),
  /** With `subscriber_id` (POST /api/admin/subscribers/{id}/test) it goes to that subscriber only. */
  "test.ping": z.strictObject({ message: z.string(), subscriber_id: z.string().optional() }),
  "subscriber.created": z.strictObject({ subscriber_id: z.string(), name: z.string(), kind: z.string(), event_types: z.string() }),
  "subscriber.updated": z.strictObject({ subscriber_id: z.string(), name: z.string(), changed_fields: z.array(z.string()) }),
  "subscriber.deleted": z.strictObject({ subscriber_id: z.string(), name: z.string() }),
  "subscriber.secret_rotated": z.strictObject({ subscriber_id: z.string(), name: z.string(), previous_valid_until: z.string().nullable() }),
  "subscriber.recovered": z.strictObject({
    subscriber_id: z.string(),
    name: z.string(),
    from: z.string(),
    to: z.string(),
    requeued: z.number().int(),
  }),
  "delivery.retried": z.strictObject({
    delivery_id: z.string(),
    subscriber_id: z.string(),
    event_id: z.number().int(),
    previous_status: z.string(),
  }),
  "delivery.cancelled": z.strictObject({
    delivery_id: z.string(),
    subscriber_id: z.string(),
    event_id: z.number().int(),
    previous_status: z.string(),
  }),

  // Administration
  "setting.updated": z.strictObject({ key: z.string() }),
  "user.created": z.strictObject({ user_id: z.string(), username: z.string(), role: z.string() }),
  "user.updated": z.strictObject({ user_id: z.string(), username: z.string(), changed_fields: z.array(z.string()) }),
  "user.password_reset": z.strictObject({
    user_id: z.string(),
    username: z.string(),
    via: z.enum(["recovery_key", "admin", "self", "setup"]),
  }),
  "api_key.created": z.strictObject({ api_key_id: z.string(), name: z.string(), prefix: z.string() }),
  "api_key.revoked": z.strictObject({ api_key_id: z.string(), name: z.string(), prefix: z.string() }),
  "recovery_key.generated": z.strictObject({ user_id: z.string() }),
  /** A recovery key was verified: a 10-minute password reset window opened (the token is never in an event). */
  "recovery_key.verified": z.strictObject({ user_id: z.string(), username: z.string() }),
} as const satisfies Record<string, z.ZodType>;

export type EventType = keyof typeof eventCatalogue;
export type EventPayload<T extends EventType> = z.infer<(typeof eventCatalogue)[T]>;
export const eventTypes = Object.keys(eventCatalogue) as EventType[];

/** The envelope, the same in memory, in the database and on the wire (SPEC §4). */
export interface EventEnvelope<T extends string = string, P = unknown> {
  id: number;
  type: T;
  payload: P;
  metadata: { timestamp: string; actor: string; traceId: string; source: string };
}

export class UnknownEventTypeError extends Error {}
export class InvalidEventPayloadError extends Error {}

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventCatalogue, type);
}

/** Validates a payload against its type's schema; throws on an unknown type or a bad payload. */
export function parseEventPayload<T extends EventType>(type: T, payload: unknown): EventPayload<T> {
  if (!isEventType(type)) throw new UnknownEventTypeError(`Unknown event type "${type}"`);
  const result = eventCatalogue[type].safeParse(payload);
  if (!result.success) {
    throw new InvalidEventPayloadError(`Invalid payload for "${type}": ${z.prettifyError(result.error)}`);
  }
  return result.data as EventPayload<T>;
}
