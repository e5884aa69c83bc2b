import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db, type Tx } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { mutate } from "@/lib/db/mutate";
import { defaultSettings, type SettingKey } from "@/lib/domain/settings/defaults";
import { settingSchemas } from "@/lib/domain/settings/settings-schema";

export { settingSchemas, updateSettingsSchema } from "@/lib/domain/settings/settings-schema";

/**
 * Settings: key → JSON in the `settings` table, each validated by its own schema, defaults from
 * defaults.ts for anything never saved. Reads are memoised per database version.
 */

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

/**
 * Saves the given settings (audit row + `setting.updated` per key) and returns them all. `patch`
 * may be a function of the current settings, read inside the same transaction (a read-modify-write
 * without a lost update); it may throw to refuse the change. A secret sent back masked as `GET`
 * showed it (`••••1234`) means "keep the stored one" — it is never stored.
 */
export async function updateSettings(
  ctx: ActorContext,
  patch: Partial<Settings> | ((current: Settings) => Partial<Settings>),
): Promise<Settings> {
  return mutate(ctx, async (m) => {
    const current = await readSettings(m.tx);
    const changes = typeof patch === "function" ? patch(current) : patch;
    for (const [key, sent] of Object.entries(changes)) {
      if (sent === undefined) continue;
      const value = keepMaskedSecrets(sent, current[key as SettingKey]);
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

const SECRET_FIELDS = ["user_key", "app_token"] as const;
const MASK = "••••";

/** Whether a secret value is a mask as `redactSecrets` renders one (not a real key). */
export function isMaskedSecret(value: unknown): boolean {
  return typeof value === "string" && value.startsWith(MASK);
}

/** A setting with every masked secret field replaced by the stored value (a mask means "keep"). */
function keepMaskedSecrets<T>(value: T, current: unknown): T {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const stored = current && typeof current === "object" ? (current as Record<string, unknown>) : {};
  for (const field of SECRET_FIELDS) {
    if (isMaskedSecret(out[field])) out[field] = stored[field] ?? null;
  }
  return out as T;
}

/** Secrets inside settings (Pushover keys) never reach the audit log or a response in clear. */
export function redactSecrets<T>(value: T): T {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of SECRET_FIELDS) {
    const v = out[field];
    if (typeof v === "string" && v) out[field] = `${MASK}${v.slice(-4)}`;
  }
  return out as T;
}
