import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db, type Tx } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { mutate } from "@/lib/db/mutate";
import { defaultSettings, type SettingKey } from "@/lib/domain/settings/defaults";
import { centrifugeMachinesSchema, centrifugeSafetyZonesSchema, impulseZonesSchema } from "@/lib/domain/centrifuge/settings-schema";

/**
 * Settings: key → JSON in the `settings` table, each validated by its own schema, defaults from
 * defaults.ts for anything never saved. Reads are memoised per database version.
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

export type Settings = { [K in SettingKey]: z.output<(typeof settingSchemas)[K]> };

/** Every setting with defaults filled in (stored values that no longer validate fall back too). */
export function getSettings(): Promise<Settings> {
  return memoByDataVersion("settings:all", () => readSettings(db));
}

export async function readSettings(client: Pick<Tx, "setting">): Promise<Settings> {
  const rows = await client.setting.findMany({ where: { key: { in: Object.keys(defaultSettings) } } });
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(defaultSettings) as SettingKey[]) {
    const parsed = settingSchemas[key].safeParse(stored.get(key));
    out[key] = parsed.success ? parsed.data : structuredClone(defaultSettings[key]);
  }
  return out as Settings;
}

export const updateSettingsSchema = z
  .strictObject(
    Object.fromEntries(Object.entries(settingSchemas).map(([k, s]) => [k, s.optional()])) as {
      [K in SettingKey]: z.ZodOptional<(typeof settingSchemas)[K]>;
    },
  )
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to update" });

/** Saves the given settings (audit row + `setting.updated` per key) and returns them all. */
export async function updateSettings(ctx: ActorContext, patch: Partial<Settings>): Promise<Settings> {
  return mutate(ctx, async (m) => {
    const current = await readSettings(m.tx);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      await m.tx.setting.upsert({
        where: { key },
        create: { key, value: value as object, updated_by: ctx.actor },
        update: { value: value as object, updated_by: ctx.actor },
      });
      await m.audit({
        entity: "setting",
        entityId: key,
        label: key,
        before: { value: redactSecrets(current[key as SettingKey]) },
        after: { value: redactSecrets(value) },
      });
      await m.emit("setting.updated", { key });
    }
    return readSettings(m.tx);
  });
}

/** Secrets inside settings (Pushover keys) never reach the audit log or a response in clear. */
export function redactSecrets<T>(value: T): T {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of ["user_key", "app_token"]) {
    const v = out[field];
    if (typeof v === "string" && v) out[field] = `••••${v.slice(-4)}`;
  }
  return out as T;
}
