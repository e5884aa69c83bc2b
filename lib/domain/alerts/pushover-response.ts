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
