import { z } from "zod";

/**
 * Response schemas of GET/PUT /api/pushover/settings and POST /api/pushover/test (the wire
 * contract). Imported by browser code: zod only. Keys are never sent in clear.
 */
export const pushoverSettingsViewSchema = z.object({
  enabled: z.boolean(),
  /** Masked: `••••` + the last 4 characters; null when no key is set (setting or environment). */
  user_key: z.string().nullable(),
  warning_grams: z.number(),
  critical_grams: z.number(),
  cooldown_hours: z.number(),
  has_user_key: z.boolean(),
  has_app_token: z.boolean(),
  /** Where the user key comes from: the setting, the PUSHOVER_USER_KEY variable, or nowhere. */
  key_source: z.enum(["settings", "environment"]).nullable(),
});
export type PushoverSettingsView = z.infer<typeof pushoverSettingsViewSchema>;

/** PUT /api/pushover/settings. */
export const pushoverSettingsSaveResponseSchema = pushoverSettingsViewSchema.extend({ success: z.literal(true) });
export type PushoverSettingsSaveResponse = z.infer<typeof pushoverSettingsSaveResponseSchema>;

/** POST /api/pushover/test. */
export const pushoverTestResponseSchema = z.object({ success: z.literal(true), message: z.string(), request: z.string().nullable() });
export type PushoverTestResponse = z.infer<typeof pushoverTestResponseSchema>;

/** One low-stock alert of POST /api/pushover/check-alerts (lib/domain/alerts/check-alerts.ts `CheckedAlert`). */
export const checkedAlertSchema = z.object({
  level: z.enum(["warning", "critical"]),
  kind: z.enum(["finished_good", "supply"]),
  /** The strain (finished goods), or `kind:size` / `kind` (supplies). */
  subject: z.string(),
  message: z.string(),
  /** Finished goods: effective grams left across the strain's active packages, and how many. */
  grams: z.number().optional(),
  packages: z.number().int().optional(),
  /** Supplies: units left (the threshold is in boxes). */
  units: z.number().optional(),
  threshold: z.number(),
  supply_id: z.string().nullable().optional(),
  /** `suppressed`: the same subject and level alerted within the cooldown. */
  status: z.enum(["sent", "suppressed"]),
});

/** POST /api/pushover/check-alerts. */
export const checkAlertsResponseSchema = z.object({
  success: z.literal(true),
  result: z.object({
    alerts: z.array(checkedAlertSchema),
    sent: z.number().int(),
    suppressed: z.number().int(),
    delivered: z.number().int(),
    queued: z.number().int(),
    delivery: z.enum(["pushover", "disabled", "not_configured"]),
    errors: z.array(z.string()),
    cooldown_hours: z.number(),
    checked_at: z.iso.datetime(),
  }),
});
export type CheckAlertsResponse = z.infer<typeof checkAlertsResponseSchema>;
