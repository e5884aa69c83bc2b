import { z } from "zod";

/** Response schemas of the system routes (version, health). Zod only. */

/** GET /api/version: package.json's version. */
export const versionResponseSchema = z.object({ version: z.string() });

/** GET /api/health: liveness (no I/O). */
export const livenessResponseSchema = z.object({ status: z.literal("ok"), version: z.string(), uptime_seconds: z.number().int() });
/** One readiness check: `ok` and whatever the check reports beside it (latency, detail, free bytes …). */
export const healthCheckSchema = z.looseObject({ ok: z.boolean() });
/** GET /api/health?ready=1: 200 when every check passes (503 with the same body when not). */
export const readinessResponseSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  version: z.string(),
  checks: z.object({ database: healthCheckSchema, migrations: healthCheckSchema, worker: healthCheckSchema, disk: healthCheckSchema }),
});
export const healthResponseSchema = z.union([livenessResponseSchema, readinessResponseSchema]);

const isoDateTime = z.iso.datetime();

/** A worker job as the admin Jobs page shows it (lib/jobs/admin.ts `JobView`). */
export const jobViewSchema = z.object({
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  state: z.enum(["disabled", "running", "requested", "scheduled"]),
  interval_seconds: z.number().int(),
  default_interval_seconds: z.number().int(),
  interval_source: z.enum(["default", "override"]),
  next_run_at: isoDateTime.nullable(),
  run_requested_at: isoDateTime.nullable(),
  run_requested_by: z.string().nullable(),
  lease_owner: z.string().nullable(),
  lease_until: isoDateTime.nullable(),
  last_started_at: isoDateTime.nullable(),
  last_finished_at: isoDateTime.nullable(),
  last_status: z.string().nullable(),
  last_error: z.string().nullable(),
  last_duration_ms: z.number().int().nullable(),
});
export type JobViewResponse = z.infer<typeof jobViewSchema>;
/** GET /api/admin/jobs. */
export const jobListResponseSchema = z.object({ jobs: z.array(jobViewSchema) });
export type JobListResponse = z.infer<typeof jobListResponseSchema>;
/** PATCH /api/admin/jobs/{name}. */
export const jobUpdateResponseSchema = z.object({ job: jobViewSchema });
/** POST /api/admin/jobs/{name}/run (202). */
export const jobRunResponseSchema = z.object({ success: z.literal(true), job: jobViewSchema });
export type JobRunResponse = z.infer<typeof jobRunResponseSchema>;
