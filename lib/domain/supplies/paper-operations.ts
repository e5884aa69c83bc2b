import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { badRequest } from "@/lib/http/errors";
import { applySupplyPatch, ensurePaperSupply } from "@/lib/domain/supplies/supply-stock";
import { dismissalHolds, dismissSupplyAlert, unitsAtDismissal } from "@/lib/domain/supplies/dismissal";
import { isLow, totalUnits } from "@/lib/domain/supplies/stock-math";
import { mutateIfChanged } from "@/lib/db/mutate-if-changed";
import { PAPER_KIND, paperSizes, parsePaperSize, sizeLabel, type PaperSize } from "@/lib/domain/supplies/paper-sizes";

/** Whole numbers as JSON numbers or digit strings (forms post strings). */
export const wholeNumber = (max: number) =>
  z
    .union([z.number(), z.string().trim().regex(/^\d+$/, "Expected a whole number").transform(Number)])
    .pipe(z.number().int("Expected a whole number").min(0, "Must be 0 or more").max(max, `Must be at most ${max}`));

// ───────── POST /api/inventory/update: a physical count ─────────

export const inventoryUpdateSchema = z.object({
  size: z.unknown().optional(),
  box_count: wholeNumber(1_000_000).optional(),
  individual_papers: wholeNumber(10_000_000).optional(),
});

/**
 * A physical shelf count of one size: boxes and loose papers as counted (a field left out keeps
 * its current value). Audited; `supply.updated`; `supply.low_stock` when it goes below the
 * threshold; a restock to the threshold or above clears a dismissed alert.
 */
export async function updatePaperCount(ctx: ActorContext, body: z.output<typeof inventoryUpdateSchema>) {
  const size = parsePaperSize(body.size);
  if (body.box_count === undefined && body.individual_papers === undefined) {
    throw badRequest("Nothing to update: send box_count and/or individual_papers", undefined, "nothing_to_update");
  }
  const after = await mutate(ctx, async (m) => {
    const before = await ensurePaperSupply(m, size);
    return applySupplyPatch(m, before, { boxes: body.box_count, individual_units: body.individual_papers });
  });
  const total = totalUnits(after);
  return {
    status: "success",
    message: `${sizeLabel(size)} inventory updated: ${after.boxes} boxes + ${after.individual_units} papers = ${total} papers`,
    inventory: {
      boxes: after.boxes,
      individual_papers: after.individual_units,
      total_papers: total,
      papers_per_box: after.units_per_box,
      low_stock: isLow(after),
    },
  };
}

// ───────── POST /api/inventory/settings: thresholds and papers per box ─────────

export const inventorySettingsSchema = z.object({
  thresholds: z.record(z.string(), wholeNumber(10_000)).optional(),
  papers_per_box: z.record(z.string(), wholeNumber(1_000_000).pipe(z.number().min(1, "Must be at least 1"))).optional(),
});

/**
 * Low-stock thresholds (boxes) and papers per box, per size; sizes may be given as "0_5" or
 * "0.5g". Changing papers per box keeps the counted boxes and loose papers (the total follows).
 */
export async function updatePaperSettings(ctx: ActorContext, body: z.output<typeof inventorySettingsSchema>) {
  const patches = new Map<PaperSize, { low_threshold_boxes?: number; units_per_box?: number }>();
  for (const [key, value] of Object.entries(body.thresholds ?? {})) {
    const size = parsePaperSize(key);
    patches.set(size, { ...patches.get(size), low_threshold_boxes: value });
  }
  for (const [key, value] of Object.entries(body.papers_per_box ?? {})) {
    const size = parsePaperSize(key);
    patches.set(size, { ...patches.get(size), units_per_box: value });
  }
  if (patches.size === 0) throw badRequest("Nothing to update: send thresholds and/or papers_per_box", undefined, "nothing_to_update");
  const updated = await mutate(ctx, async (m) => {
    const out: Partial<Record<PaperSize, { threshold: number; papers_per_box: number }>> = {};
    for (const size of paperSizes) {
      const patch = patches.get(size);
      if (!patch) continue;
      const after = await applySupplyPatch(m, await ensurePaperSupply(m, size), patch);
      out[size] = { threshold: after.low_threshold_boxes, papers_per_box: after.units_per_box };
    }
    return out;
  });
  return { status: "success", message: `Inventory settings updated for ${Object.keys(updated).map(sizeLabel).join(", ")}`, updated };
}

// ───────── Dismissing low-stock alerts (dashboard banners) ─────────

/** `POST /api/dismiss-inventory-alert/{size}`. Rules for how long a dismissal lasts: dismissal.ts. */
export async function dismissPaperAlert(ctx: ActorContext, sizeParam: string) {
  const size = parsePaperSize(sizeParam);
  const label = sizeLabel(size);
  return mutateIfChanged(ctx, async (m, unchanged) => {
    const existing = await m.tx.supply.findUnique({ where: { kind_size: { kind: PAPER_KIND, size } } });
    if (existing && !isLow(existing)) unchanged({ status: "success", message: `No low-stock alert for ${label} papers`, dismissed: false });
    if (existing && dismissalHolds(existing, await unitsAtDismissal(m.tx, existing))) {
      unchanged({ status: "success", message: `The ${label} papers alert is already dismissed`, dismissed: true });
    }
    const supply = existing ?? (await ensurePaperSupply(m, size));
    const done = await dismissSupplyAlert(m, supply);
    return {
      status: "success",
      message: done ? `Alert dismissed for ${label} papers` : `No low-stock alert for ${label} papers`,
      dismissed: done,
    };
  });
}

/** `POST /api/dismiss-inventory-alerts`: every paper size's current alert. */
export async function dismissAllPaperAlerts(ctx: ActorContext) {
  return mutateIfChanged(ctx, async (m, unchanged) => {
    const dismissed: PaperSize[] = [];
    for (const size of paperSizes) {
      const existing = await m.tx.supply.findUnique({ where: { kind_size: { kind: PAPER_KIND, size } } });
      if (existing && (!isLow(existing) || dismissalHolds(existing, await unitsAtDismissal(m.tx, existing)))) continue;
      if (await dismissSupplyAlert(m, existing ?? (await ensurePaperSupply(m, size)))) dismissed.push(size);
    }
    const result = {
      status: "success",
      message: dismissed.length
        ? `Dismissed ${dismissed.length} alert${dismissed.length === 1 ? "" : "s"} (${dismissed.map(sizeLabel).join(", ")})`
        : "No alerts to dismiss",
      dismissed,
    };
    if (dismissed.length === 0) unchanged(result);
    return result;
  });
}
