import type { Prisma } from "@/lib/generated/prisma/client";
import { legacyBool, legacyJson, legacyNumber, legacyText, legacyTime, type LegacyRow } from "@/lib/domain/legacy-import/legacy-values";
import { preview } from "@/lib/domain/legacy-import/map-batch";
import type { Skipped } from "@/lib/domain/legacy-import/report";

/**
 * Legacy `finished_goods`, `finished_goods_history` and `wholesale_holds` rows → ours. Grams that
 * are negative, or a package without METRC number / strain / grams, break the legacy constraints
 * and are skipped; a link to a batch that does not exist is dropped (orphan) and the package kept.
 */

type Mapped<T> = { ok: true; data: T; dropped: Skipped[] } | { ok: false; skipped: Skipped };

/** Legacy status → ours: `retired` is what the schema called an archived package. */
const STATUS: Record<string, string> = {
  active: "active",
  depleted: "depleted",
  retired: "archived",
  archived: "archived",
  orphaned: "orphaned",
};

export interface FinishedGoodExtras {
  /** processed_decrements as our ApexDecrement rows. */
  decrements: Omit<Prisma.ApexDecrementCreateManyInput, "id">[];
}

export function mapFinishedGood(
  row: LegacyRow,
  batchExists: (id: string) => boolean,
  importedAt: Date,
): Mapped<Prisma.FinishedGoodCreateManyInput> & { extras?: FinishedGoodExtras } {
  const id = legacyText(row.metrc_number)?.trim() ?? "";
  const skip = (detail: string) => ({
    ok: false as const,
    skipped: { table: "finished_goods", id, reason: "constraint" as const, detail },
  });
  const dropped: Skipped[] = [];
  const drop = (field: string, reason: Skipped["reason"], detail: string) =>
    dropped.push({ table: "finished_goods", id, field, reason, detail });
  if (!id) return skip("no METRC number");
  const strain = legacyText(row.strain)?.trim();
  if (!strain) return skip("no strain");
  const grams: Record<string, number> = {};
  for (const f of ["initial_grams", "current_grams", "grams_ordered", "grams_packed", "grams_packed_lifetime", "grams_fulfilled"]) {
    const n = legacyNumber(row[f]);
    const required = f === "initial_grams" || f === "current_grams";
    if (n === undefined || (n === null && required) || (n !== null && n < 0))
      return skip(`${f} = ${JSON.stringify(row[f])} (must be a number ≥ 0)`);
    if (n !== null) grams[f] = n;
  }
  const override = legacyNumber(row.physical_grams_override);
  if (override === undefined || (override !== null && override < 0))
    return skip(`physical_grams_override = ${JSON.stringify(row.physical_grams_override)}`);

  const status = STATUS[(legacyText(row.status) ?? "active").trim().toLowerCase()];
  if (!status) drop("status", "constraint", `${JSON.stringify(row.status)} is not active/depleted/retired (imported as active)`);

  let source = legacyText(row.source_batch_id);
  if (source && !batchExists(source)) {
    drop("source_batch_id", "orphan", `batch ${source} does not exist (link dropped)`);
    source = null;
  }
  const created = legacyTime(row.created_date);
  const updated = legacyTime(row.updated_date);
  if (created === undefined) drop("created_date", "timestamp", `${JSON.stringify(row.created_date)} is not a timestamp`);
  if (updated === undefined) drop("updated_date", "timestamp", `${JSON.stringify(row.updated_date)} is not a timestamp`);
  const createdDate = created ?? updated ?? importedAt;

  const json = (f: string): Prisma.InputJsonValue | undefined => {
    const v = legacyJson(row[f]);
    if (v === undefined) drop(f, "json", `unparseable JSON ${preview(row[f])}`);
    return v === null || v === undefined ? undefined : (v as Prisma.InputJsonValue);
  };
  const data: Prisma.FinishedGoodCreateManyInput = {
    metrc_number: id,
    strain,
    initial_grams: grams.initial_grams,
    current_grams: grams.current_grams,
    grams_ordered: grams.grams_ordered ?? 0,
    grams_packed: grams.grams_packed ?? 0,
    grams_packed_lifetime: grams.grams_packed_lifetime ?? 0,
    grams_fulfilled: grams.grams_fulfilled ?? 0,
    status: status ?? "active",
    created_date: createdDate,
    updated_date: updated ?? createdDate,
    notes: legacyText(row.notes),
    source_batch_id: source,
    sku_breakdown: json("sku_breakdown"),
    apex_auto_inventory: legacyBool(row.apex_auto_inventory),
    apex_units: json("apex_units"),
    apex_sku_settings: json("apex_sku_settings"),
    custom_skus: json("custom_skus"),
    physical_grams_override: override,
  };
  const processed = legacyJson(row.processed_decrements);
  if (processed === undefined) drop("processed_decrements", "json", `unparseable JSON ${preview(row.processed_decrements)}`);
  return { ok: true, data, dropped, extras: { decrements: decrementsOf(id, processed, updated ?? createdDate) } };
}

/**
 * processed_decrements: the idempotency keys of Apex decrements already applied, as a list of
 * keys, a list of `{key|idempotency_key, sku, units, timestamp}`, or an object keyed by key.
 * Kept so a decrement ApexAPI retries after the switch-over is still recognised.
 */
function decrementsOf(metrc: string, value: unknown, fallbackAt: Date): Omit<Prisma.ApexDecrementCreateManyInput, "id">[] {
  const out = new Map<string, Omit<Prisma.ApexDecrementCreateManyInput, "id">>();
  const add = (key: unknown, detail: Record<string, unknown> = {}) => {
    const k = legacyText(key)?.trim();
    if (!k || out.has(k)) return;
    const units = legacyNumber(detail.units ?? detail.quantity);
    out.set(k, {
      metrc_number: metrc,
      idempotency_key: k,
      sku: legacyText(detail.sku ?? detail.sku_name) ?? "",
      units: units ? Math.round(units) : 0,
      at: legacyTime(detail.timestamp ?? detail.at) ?? fallbackAt,
    });
  };
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item && typeof item === "object") {
        const o = item as Record<string, unknown>;
        add(o.key ?? o.idempotency_key ?? o.id, o);
      } else add(item);
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) add(k, v && typeof v === "object" ? (v as Record<string, unknown>) : { timestamp: v });
  }
  return [...out.values()];
}

/** The legacy app's change_type spellings → ours (lib/domain/finished-goods/write-history.ts). */
const CHANGE_TYPES: Record<string, string> = {
  created: "created",
  create: "created",
  deducted: "deduct",
  deduct: "deduct",
  added: "add",
  add: "add",
  ordered: "order",
  order: "order",
  packed: "pack",
  pack: "pack",
  fulfilled: "complete_order",
  fulfill: "complete_order",
  complete_order: "complete_order",
  archived: "archive",
  archive: "archive",
  restored: "restore",
  restore: "restore",
  apex_units: "apex_units",
  sku_settings: "sku_settings",
  physical_override: "override",
  override: "override",
  synced: "sync",
  sync: "sync",
  updated: "update",
  update: "update",
  deleted: "delete",
  delete: "delete",
  orphaned: "orphan",
  orphan: "orphan",
};

export function normaliseChangeType(value: string): string {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return CHANGE_TYPES[key] ?? key;
}

export function mapHistory(
  row: LegacyRow,
  lastGrams: Map<string, number>,
): Mapped<Prisma.FinishedGoodHistoryCreateManyInput> & { legacyTimestamp?: string } {
  const id = legacyText(row.id) ?? "";
  const skip = (reason: Skipped["reason"], detail: string) => ({
    ok: false as const,
    skipped: { table: "finished_goods_history", id, reason, detail },
  });
  const dropped: Skipped[] = [];
  const metrc = legacyText(row.metrc_number)?.trim();
  if (!metrc) return skip("constraint", "no METRC number");
  const at = legacyTime(row.timestamp);
  if (!at) return skip("timestamp", `${JSON.stringify(row.timestamp)} is not a timestamp`);
  const rawType = legacyText(row.change_type)?.trim();
  if (!rawType) return skip("constraint", "no change_type");
  const current = legacyNumber(row.current_grams);
  if (current === null || current === undefined) return skip("constraint", `current_grams = ${JSON.stringify(row.current_grams)}`);
  let details = legacyJson(row.details);
  if (details === undefined) {
    dropped.push({
      table: "finished_goods_history",
      id,
      field: "details",
      reason: "json",
      detail: `unparseable JSON ${preview(row.details)} (kept as text)`,
    });
    details = { text: legacyText(row.details) };
  }
  const detailObject = details && typeof details === "object" && !Array.isArray(details) ? (details as Record<string, unknown>) : null;
  const changeType = normaliseChangeType(rawType);
  // grams_changed: the figure the legacy row recorded, else the step from the package's previous row.
  const stated = legacyNumber(detailObject?.grams ?? detailObject?.grams_changed ?? detailObject?.delta);
  const previous = lastGrams.get(metrc);
  lastGrams.set(metrc, current);
  const signed =
    typeof stated === "number"
      ? changeType === "deduct" || changeType === "complete_order"
        ? -Math.abs(stated)
        : stated
      : previous !== undefined
        ? Math.round((current - previous) * 1000) / 1000
        : null;
  const num = (v: unknown) => legacyNumber(v) ?? 0;
  const data: Prisma.FinishedGoodHistoryCreateManyInput = {
    metrc_number: metrc,
    timestamp: at,
    change_type: changeType,
    grams_changed: signed,
    current_grams: current,
    grams_ordered: num(row.grams_ordered),
    grams_packed: num(row.grams_packed),
    grams_fulfilled: num(row.grams_fulfilled),
    status: legacyText(row.status),
    details: {
      ...(detailObject ?? (details === null ? {} : { value: details })),
      ...(changeType !== rawType ? { legacy_change_type: rawType } : {}),
    } as Prisma.InputJsonValue,
    actor: "import",
    reason: legacyText(detailObject?.reason) ?? null,
  };
  return { ok: true, data, dropped, legacyTimestamp: legacyText(row.timestamp) ?? undefined };
}

export function mapHold(row: LegacyRow, packageExists: (metrc: string) => boolean): Mapped<Prisma.WholesaleHoldCreateManyInput> {
  const id = legacyText(row.id)?.trim() ?? "";
  const skip = (reason: Skipped["reason"], detail: string) => ({
    ok: false as const,
    skipped: { table: "wholesale_holds", id, reason, detail },
  });
  if (!id) return skip("constraint", "no id");
  const metrc = legacyText(row.metrc_number)?.trim() ?? "";
  if (!packageExists(metrc)) return skip("orphan", `package ${metrc || "(none)"} does not exist`);
  const sku = legacyText(row.sku_name)?.trim();
  if (!sku) return skip("constraint", "no sku_name");
  const quantity = legacyNumber(row.quantity);
  if (quantity === null || quantity === undefined || quantity < 0)
    return skip("constraint", `quantity = ${JSON.stringify(row.quantity)} (must be ≥ 0)`);
  const created = legacyTime(row.created_date);
  if (!created) return skip("timestamp", `created_date ${JSON.stringify(row.created_date)} is not a timestamp`);
  return {
    ok: true,
    data: {
      id,
      metrc_number: metrc,
      sku_name: sku,
      quantity: Math.round(quantity),
      notes: legacyText(row.notes),
      created_by: "import",
      created_date: created,
    },
    dropped: [],
  };
}
