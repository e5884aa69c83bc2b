import { defaultSettings, type SettingKey } from "@/lib/domain/settings/defaults";
import { settingSchemas } from "@/lib/domain/settings/settings-schema";
import { normalizePaperSize } from "@/lib/domain/supplies/paper-sizes";
import type { Size } from "@/lib/domain/batches/constants";
import { legacyJson, legacyText, type LegacyRow } from "@/lib/domain/legacy-import/legacy-values";
import { preview } from "@/lib/domain/legacy-import/map-batch";
import type { Skipped } from "@/lib/domain/legacy-import/report";

/**
 * Legacy settings (the `settings` table: key → JSON text; before it, `data/settings.json`, read
 * only for keys the table lacks) → our settings, the paper supplies' box sizes and thresholds,
 * and the credentials kept there. A value our schema refuses is skipped with the reason; keys we
 * have no use for are listed as unused.
 */

export interface LegacySettings {
  settings: Partial<Record<SettingKey, unknown>>;
  papersPerBox: Partial<Record<Size, number>>;
  thresholds: Partial<Record<Size, number>>;
  apiKey: string | null;
  recoveryKeyHash: string | null;
  adminPasswordHash: string | null;
  skipped: Skipped[];
  read: { table: number; file: number };
  /** Setting keys that came from data/settings.json. */
  fromFile: string[];
}

const CREDENTIALS = new Set(["api_key", "recovery_key_hash", "admin_password_hash"]);

function perSize(value: unknown): Partial<Record<Size, number>> | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const out: Partial<Record<Size, number>> = {};
  for (const [k, v] of Object.entries(value)) {
    const size = normalizePaperSize(k);
    if (size && typeof v === "number" && Number.isFinite(v) && v >= 0) out[size] = v;
  }
  return Object.keys(out).length > 0 ? out : null;
}

export function mapSettings(rows: LegacyRow[], fileValue: unknown): LegacySettings {
  const out: LegacySettings = {
    settings: {},
    papersPerBox: {},
    thresholds: {},
    apiKey: null,
    recoveryKeyHash: null,
    adminPasswordHash: null,
    skipped: [],
    read: { table: 0, file: 0 },
    fromFile: [],
  };
  const values = new Map<string, { value: unknown; from: "settings" | "data/settings.json" }>();
  for (const row of rows) {
    out.read.table++;
    const key = legacyText(row.key) ?? "";
    const value = legacyJson(row.value);
    if (value === undefined) {
      out.skipped.push({ table: "settings", id: key, reason: "json", detail: `unparseable JSON ${preview(row.value)}` });
      continue;
    }
    values.set(key, { value, from: "settings" });
  }
  if (fileValue && typeof fileValue === "object" && !Array.isArray(fileValue)) {
    for (const [key, value] of Object.entries(fileValue)) {
      out.read.file++;
      if (values.has(key)) continue; // the table replaced the file; its value wins
      values.set(key, { value, from: "data/settings.json" });
    }
  }

  // Pushover as one object (`pushover_settings` / `pushover`) or flat `pushover_*` keys.
  const pushover: Record<string, unknown> = {};
  let pushoverFrom: string | null = null;
  const refuse = (table: string, key: string, detail: string) => out.skipped.push({ table, id: key, reason: "constraint", detail });

  for (const [key, { value, from }] of values) {
    if (CREDENTIALS.has(key)) {
      const text = typeof value === "string" && value.trim() ? value.trim() : null;
      if (key === "api_key") out.apiKey = text;
      else if (key === "recovery_key_hash") out.recoveryKeyHash = text;
      else out.adminPasswordHash = text;
      continue;
    }
    if (key === "pushover_settings" || key === "pushover") {
      if (value && typeof value === "object") Object.assign(pushover, value);
      pushoverFrom = from;
      continue;
    }
    if (key.startsWith("pushover_")) {
      pushover[key.slice("pushover_".length)] = value;
      pushoverFrom ??= from;
      continue;
    }
    if (key === "papers_per_box") {
      const v = perSize(value);
      if (v) out.papersPerBox = v;
      else refuse(from, key, `${preview(value)} is not {size: papers}`);
      continue;
    }
    if (key === "alert_thresholds" || key === "low_inventory_thresholds" || key === "inventory_thresholds") {
      const v = perSize(value);
      if (v) out.thresholds = v;
      else refuse(from, key, `${preview(value)} is not {size: boxes}`);
      continue;
    }
    if (key in defaultSettings) {
      const candidate = key === "tare_weights" ? (perSize(value) ?? value) : value;
      const parsed = settingSchemas[key as SettingKey].safeParse(candidate);
      if (parsed.success) {
        out.settings[key as SettingKey] = parsed.data;
        if (from !== "settings") out.fromFile.push(key);
      } else refuse(from, key, `${preview(value)}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      continue;
    }
    out.skipped.push({ table: from, id: key, reason: "unused", detail: "not a PreRoll Tracker setting" });
  }

  if (pushoverFrom) {
    const merged = {
      ...defaultSettings.pushover,
      ...pick(pushover, ["enabled", "user_key", "app_token", "warning_grams", "critical_grams", "cooldown_hours"]),
    };
    const parsed = settingSchemas.pushover.safeParse(merged);
    if (parsed.success) out.settings.pushover = parsed.data;
    else refuse(pushoverFrom, "pushover_settings", parsed.error.issues[0]?.message ?? "invalid");
  }
  return out;
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k] === "" ? null : o[k]]));
}
