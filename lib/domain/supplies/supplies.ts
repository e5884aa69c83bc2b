import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import type { Supply } from "@/lib/generated/prisma/client";
import { conflict, notFound, badRequest } from "@/lib/http/errors";
import { getSettings } from "@/lib/domain/settings/settings";
import { zoneFor } from "@/lib/domain/batches/rate/working-clock";
import { applySupplyPatch, supplyEventPayload } from "@/lib/domain/supplies/supply-stock";
import { dismissSupplyAlert, lowStockPayload } from "@/lib/domain/supplies/dismissal";
import { mutateIfChanged } from "@/lib/db/mutate-if-changed";
import { isCritical, isLow, totalUnits } from "@/lib/domain/supplies/stock-math";
import { analyticsFor, loadUsageWindow, type UsageWindow } from "@/lib/domain/supplies/usage-analytics";
import { dismissedFlags } from "@/lib/domain/supplies/paper-inventory";
import { PAPER_KIND, normalizePaperSize } from "@/lib/domain/supplies/paper-sizes";
import { wholeNumber } from "@/lib/domain/supplies/paper-operations";
import { bomBySupply } from "@/lib/domain/supplies/bom";

/**
 * Every supply — papers/cones per size and the others (tips, tubes, boxes, …) — on one model:
 * boxes + loose units, units per box, a low-stock threshold in boxes, usage-based days remaining
 * and a dismissible alert (same rules as the paper banners). `/api/supplies` lists, creates and
 * patches them; the paper rows are the same ones `/api/inventory` shows.
 */

export function serializeSupply(
  s: Supply,
  w: UsageWindow | null,
  dismissed: boolean,
  bom: { applies_to: string; quantity: number }[] = [],
) {
  const analytics = w ? analyticsFor(s, w) : { average_daily_usage: null, predicted_days_remaining: null };
  return {
    id: s.id,
    kind: s.kind,
    size: s.size || null,
    name: s.name,
    unit: s.unit,
    boxes: s.boxes,
    individual_units: s.individual_units,
    units_per_box: s.units_per_box,
    total_units: totalUnits(s),
    low_threshold_boxes: s.low_threshold_boxes,
    low_stock: isLow(s),
    level: isLow(s) ? (isCritical(s) ? "critical" : "warning") : null,
    alert_dismissed: dismissed,
    alert_dismissed_at: dismissed && s.alert_dismissed_at ? s.alert_dismissed_at.toISOString() : null,
    last_updated: s.last_updated.toISOString(),
    ...analytics,
    /** Bill of materials: how many each pre-roll of a size uses (lib/domain/supplies/bom.ts). */
    bom,
  };
}

async function serializeMany(rows: Supply[], now = new Date()) {
  const { work_schedule } = await getSettings();
  const window = await loadUsageWindow(db, now, zoneFor(work_schedule));
  const dismissed = await dismissedFlags(db, rows);
  const bom = await bomBySupply(rows.map((s) => s.id));
  return rows.map((s) => serializeSupply(s, window, dismissed.get(s.id) ?? false, bom.get(s.id) ?? []));
}

export async function listSupplies() {
  const rows = await db.supply.findMany({ orderBy: [{ kind: "asc" }, { size: "asc" }, { name: "asc" }] });
  return { supplies: await serializeMany(rows) };
}

export async function getSupply(id: string) {
  const row = await db.supply.findUnique({ where: { id } });
  if (!row) throw notFound("Supply not found");
  return (await serializeMany([row]))[0];
}

const kindSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "Use lower-case letters, digits and _ (e.g. tip, tube, box_6)");

export const createSupplySchema = z.strictObject({
  kind: kindSchema,
  size: z.string().trim().max(20).optional(),
  name: z.string().trim().min(1).max(100),
  unit: z.string().trim().min(1).max(30).default("units"),
  units_per_box: wholeNumber(1_000_000).pipe(z.number().min(1, "Must be at least 1")),
  low_threshold_boxes: wholeNumber(10_000).default(0),
  boxes: wholeNumber(1_000_000).default(0),
  individual_units: wholeNumber(10_000_000).default(0),
});

/** Paper rows must use a size key; other supplies may carry any short size label or none. */
function normalizeSize(kind: string, size: string | undefined): string {
  if (kind !== PAPER_KIND) return size ?? "";
  const key = normalizePaperSize(size);
  if (!key) throw badRequest("Invalid size", { accepted: ["0_5", "0_7", "1_0"] }, "invalid_size");
  return key;
}

export async function createSupply(ctx: ActorContext, body: z.output<typeof createSupplySchema>) {
  const size = normalizeSize(body.kind, body.size);
  const created = await mutate(ctx, async (m) => {
    const existing = await m.tx.supply.findUnique({ where: { kind_size: { kind: body.kind, size } } });
    if (existing)
      throw conflict(
        `A supply of kind "${body.kind}"${size ? ` and size "${size}"` : ""} already exists`,
        { id: existing.id },
        "supply_exists",
      );
    const s = await m.tx.supply.create({ data: { ...body, size, last_updated: m.now } });
    await m.audit({
      entity: "supply",
      entityId: s.id,
      label: s.name,
      before: null,
      after: {
        kind: s.kind,
        size: s.size,
        name: s.name,
        unit: s.unit,
        boxes: s.boxes,
        individual_units: s.individual_units,
        units_per_box: s.units_per_box,
        low_threshold_boxes: s.low_threshold_boxes,
      },
    });
    await m.emit("supply.updated", supplyEventPayload(s));
    if (isLow(s)) await m.emit("supply.low_stock", lowStockPayload(s));
    return s;
  });
  return (await serializeMany([created]))[0];
}

export const updateSupplySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    unit: z.string().trim().min(1).max(30).optional(),
    boxes: wholeNumber(1_000_000).optional(),
    individual_units: wholeNumber(10_000_000).optional(),
    units_per_box: wholeNumber(1_000_000).pipe(z.number().min(1, "Must be at least 1")).optional(),
    low_threshold_boxes: wholeNumber(10_000).optional(),
    /** true dismisses the current low-stock alert; false brings a dismissed one back. */
    alert_dismissed: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to update" });

/** A count, threshold, box size or name change (one mutation), and/or a dismissal. */
export async function updateSupply(ctx: ActorContext, id: string, body: z.output<typeof updateSupplySchema>) {
  const { alert_dismissed, ...patch } = body;
  const after = await mutateIfChanged<Supply>(ctx, async (m, unchanged) => {
    let s = await m.tx.supply.findUnique({ where: { id } });
    if (!s) throw notFound("Supply not found");
    let changed = false;
    if (Object.values(patch).some((v) => v !== undefined)) {
      s = await applySupplyPatch(m, s, patch);
      changed = true;
    }
    if (alert_dismissed === true) {
      if (!isLow(s)) throw conflict("This supply is not below its threshold: there is no alert to dismiss", undefined, "no_alert");
      if (await dismissSupplyAlert(m, s)) {
        s = await m.tx.supply.findUniqueOrThrow({ where: { id } });
        changed = true;
      }
    } else if (alert_dismissed === false && s.alert_dismissed_at) {
      const before = s;
      s = await m.tx.supply.update({ where: { id }, data: { alert_dismissed_at: null } });
      await m.audit({
        entity: "supply",
        entityId: id,
        label: s.name,
        before: { alert_dismissed_at: before.alert_dismissed_at },
        after: { alert_dismissed_at: null },
      });
      await m.emit("supply.updated", supplyEventPayload(s));
      if (isLow(s)) await m.emit("supply.low_stock", lowStockPayload(s));
      changed = true;
    }
    if (!changed) unchanged(s);
    return s;
  });
  return (await serializeMany([after]))[0];
}
