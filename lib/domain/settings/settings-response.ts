import { z } from "zod";

/**
 * Response schema of GET /api/settings (the wire contract): every setting with defaults filled
 * in, Pushover secrets masked (`••••1234`). Imported by browser code: zod only. `z.object` (not
 * strict) so an added setting does not break an old client; tests/integration/wire-contract.test.ts
 * parses the real response and reports unknown keys, so every key the server emits is listed here.
 * (The request side, with ranges and refinements, is `settingSchemas` in settings.ts.)
 */

const int = z.number().int();
const perSize = z.object({ "0_5": z.number(), "0_7": z.number(), "1_0": z.number() });

export const settingsResponseSchema = z.object({
  /** Percent of grams per size [0_5, 0_7, 1_0]; adds up to 100. */
  allocation: z.tuple([z.number(), z.number(), z.number()]),
  /** Grams of one empty cone per size. */
  tare_weights: perSize,
  test_alert_hours: z.number(),
  /** Hours 0–24 local; days 0 = Monday … 6 = Sunday. */
  work_schedule: z.object({ start_hour: int, end_hour: int, work_days: z.array(int) }),
  weight_tolerance_percent: z.number(),
  pushover: z.object({
    enabled: z.boolean(),
    /** Masked: `••••` + the last 4 characters; null when not set. */
    user_key: z.string().nullable(),
    app_token: z.string().nullable(),
    warning_grams: z.number(),
    critical_grams: z.number(),
    cooldown_hours: z.number(),
  }),
  lab_state_holds: z.object({ enabled: z.boolean() }),
  mass_balance_tolerance_percent: z.number(),
  /** Machine id → spec. */
  centrifuge_machines: z.record(z.string(), z.object({ name: z.string(), radius_inches: z.number(), min_rpm: int, max_rpm: int })),
  /** Ascending rpm ceilings. */
  centrifuge_safety_zones: z.array(z.object({ key: z.string(), label: z.string(), max_rpm: int })),
  /** Contiguous ascending impulse bands in N·s. */
  impulse_zones: z.array(z.object({ key: z.string(), label: z.string(), min: z.number(), max: z.number(), description: z.string() })),
});
export type SettingsResponse = z.infer<typeof settingsResponseSchema>;
export type Settings = SettingsResponse;

/** PUT /api/settings (admin): every setting after the save. */
export const settingsUpdateResponseSchema = z.object({ success: z.literal(true), settings: settingsResponseSchema });
export type SettingsUpdateResponse = z.infer<typeof settingsUpdateResponseSchema>;
