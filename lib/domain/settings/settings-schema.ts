import { z } from "zod";
import type { SettingKey } from "@/lib/domain/settings/defaults";
import { centrifugeMachinesSchema, centrifugeSafetyZonesSchema, impulseZonesSchema } from "@/lib/domain/centrifuge/settings-schema";

/**
 * The request rules of every setting (PUT /api/settings), apart from the server code so the
 * /settings page validates with the same schemas (loaded lazily: zod only, no server imports).
 */

const perSize = <T extends z.ZodType>(value: T) => z.strictObject({ "0_5": value, "0_7": value, "1_0": value });

export const settingSchemas = {
  allocation: z
    .tuple([z.number().min(0).max(100), z.number().min(0).max(100), z.number().min(0).max(100)])
    .refine((a) => Math.abs(a[0] + a[1] + a[2] - 100) < 0.001, { message: "Allocation percentages must add up to 100" }),
  tare_weights: perSize(z.number().min(0).max(10)),
  test_alert_hours: z
    .number()
    .min(1)
    .max(24 * 60),
  work_schedule: z
    .strictObject({
      start_hour: z.number().int().min(0).max(23),
      end_hour: z.number().int().min(1).max(24),
      work_days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    })
    .refine((w) => w.end_hour > w.start_hour, { message: "end_hour must be after start_hour", path: ["end_hour"] }),
  weight_tolerance_percent: z.number().min(0).max(100),
  pushover: z.strictObject({
    enabled: z.boolean(),
    user_key: z.string().max(100).nullable(),
    app_token: z.string().max(100).nullable(),
    warning_grams: z.number().min(0),
    critical_grams: z.number().min(0),
    cooldown_hours: z
      .number()
      .min(1)
      .max(24 * 30),
  }),
  lab_state_holds: z.strictObject({ enabled: z.boolean() }),
  mass_balance_tolerance_percent: z.number().min(0).max(100),
  centrifuge_machines: centrifugeMachinesSchema,
  centrifuge_safety_zones: centrifugeSafetyZonesSchema,
  impulse_zones: impulseZonesSchema,
} satisfies Record<SettingKey, z.ZodType>;

export const updateSettingsSchema = z
  .strictObject(
    Object.fromEntries(Object.entries(settingSchemas).map(([k, s]) => [k, s.optional()])) as {
      [K in SettingKey]: z.ZodOptional<(typeof settingSchemas)[K]>;
    },
  )
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to update" });

/**
 * A form section's rules: the named settings, each required (the /settings page saves a section
 * at a time, sending exactly these keys).
 */
export function settingsSectionSchema<K extends keyof typeof settingSchemas>(keys: readonly K[]) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, settingSchemas[k]])) as { [P in K]: (typeof settingSchemas)[P] });
}
