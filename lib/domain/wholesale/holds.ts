import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { effectiveSkus, resolveSku, wholesaleSkus } from "@/lib/domain/finished-goods/sku-engine";
import { checkLabHold, type LabHoldCaller } from "@/lib/domain/finished-goods/lab-hold";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";
import { serializeHold } from "@/lib/domain/finished-goods/serialize-finished-good";
import { wholesaleError, wholesaleErrors } from "@/lib/domain/wholesale/wholesale-errors";

/**
 * Wholesale holds: units of one SKU of one package reserved for a customer order.
 *
 * A hold can never exceed what is available: the package row is write-locked first (an UPDATE of
 * its `updated_date`; every write transaction holds the write lock anyway: BEGIN IMMEDIATE on
 * SQLite, mutate's advisory lock on PostgreSQL), then the
 * package and its holds are read and the new hold inserted in that same transaction — two holds
 * at once cannot both take the last units. Available = what the shared gram pool makes of that
 * SKU after every existing hold (sku-engine.ts `wholesaleSkus`); Apex listing settings do not
 * apply (wholesale reserves physical stock). `sku_name` may be any vocabulary; the hold stores
 * the SKU's display name ("0.5g Singles"). Lab-state holds apply as for deducts (409 unless an
 * admin sends `override_reason`).
 */

export const createHoldSchema = z.object({
  metrc_number: z.string().trim().max(100).optional(),
  sku_name: z.string().trim().max(200).optional(),
  quantity: z.number().optional(),
  notes: z.string().trim().max(2000).nullable().optional(),
  override_reason: z.string().trim().min(1).max(1000).optional(),
});
export type CreateHoldInput = z.output<typeof createHoldSchema>;

export const listHoldsQuery = z.object({ metrc_number: z.string().trim().max(100).optional() });

export async function createHold(ctx: ActorContext, input: CreateHoldInput, caller: LabHoldCaller = { isAdmin: false }) {
  return wholesaleErrors(async () => {
    if (!input.metrc_number || !input.sku_name || input.quantity === undefined) {
      throw wholesaleError(400, "validation_failed", "metrc_number, sku_name and quantity are required", {
        location: "body",
        fields: Object.fromEntries(
          (["metrc_number", "sku_name", "quantity"] as const)
            .filter((f) => !input[f] && input[f] !== 0)
            .map((f) => [f, [`${f} is required`]]),
        ),
      });
    }
    const quantity = input.quantity;
    if (!Number.isInteger(quantity) || quantity <= 0 || quantity > 100_000_000) {
      throw wholesaleError(400, "validation_failed", "quantity must be a whole number of units greater than 0", {
        location: "body",
        fields: { quantity: ["Must be a whole number greater than 0"] },
      });
    }
    const metrc = input.metrc_number.toUpperCase();
    const skuName = input.sku_name;
    return mutate(ctx, async (m) => {
      const locked = await m.tx.finishedGood.updateMany({ where: { metrc_number: metrc }, data: { updated_date: m.now } });
      if (locked.count !== 1) throw wholesaleError(404, "package_not_found", "Package not found");
      const fg = await loadFinishedGood(m.tx, metrc);
      if (fg.status !== "active") {
        throw wholesaleError(400, "package_not_active", `Package is ${fg.status}: only active packages can be held`, { status: fg.status });
      }
      const labOverride = await checkLabHold(m, fg, { ...caller, overrideReason: input.override_reason });
      const skus = effectiveSkus(fg.custom_skus);
      const sku = resolveSku(skuName, skus);
      if (!sku)
        throw wholesaleError(400, "unknown_sku", `Unknown SKU: ${skuName}`, { sku_name: skuName, known_skus: skus.map((s) => s.name) });
      const holds = await m.tx.wholesaleHold.findMany({ where: { metrc_number: metrc }, select: { sku_name: true, quantity: true } });
      const available = wholesaleSkus(fg, holds, skus)[sku.name].available;
      if (quantity > available) {
        throw wholesaleError(400, "insufficient_units", `Only ${available} units available (requested ${quantity})`, {
          available_units: available,
          requested_units: quantity,
          sku_name: sku.name,
        });
      }
      const hold = await m.tx.wholesaleHold.create({
        data: { metrc_number: metrc, sku_name: sku.name, quantity, notes: input.notes || null, created_by: ctx.actor, created_date: m.now },
      });
      await writeHistory(m, fg, "wholesale_hold", {
        details: {
          hold_id: hold.id,
          sku: sku.key,
          sku_name: sku.name,
          quantity,
          grams: Math.round(quantity * sku.grams_per_unit * 1000) / 1000,
          notes: hold.notes,
          ...(labOverride ? { lab_override_reason: labOverride } : {}),
        },
      });
      await m.audit({
        entity: "wholesale_hold",
        entityId: hold.id,
        label: `${fg.strain} · ${fg.metrc_number}`,
        before: null,
        after: { metrc_number: metrc, sku_name: sku.name, quantity, notes: hold.notes },
      });
      await m.emit("wholesale.hold_created", { hold_id: hold.id, metrc_number: metrc, sku_name: sku.name, quantity });
      return {
        success: true as const,
        hold_id: hold.id,
        message: `Held ${quantity} × ${sku.name} of ${fg.strain} (${metrc})`,
        hold: serializeHold(hold),
        available_units: available - quantity,
      };
    });
  });
}

/** `DELETE /api/wholesale/hold/{hold_id}`: the units return; 404 `{success:false, error}`. */
export async function releaseHold(ctx: ActorContext, holdId: string) {
  return wholesaleErrors(() =>
    mutate(ctx, async (m) => {
      const hold = await m.tx.wholesaleHold.findUnique({ where: { id: holdId } });
      if (!hold) throw wholesaleError(404, "hold_not_found", "Hold not found");
      await m.tx.wholesaleHold.delete({ where: { id: hold.id } });
      const fg = await m.tx.finishedGood.update({ where: { metrc_number: hold.metrc_number }, data: { updated_date: m.now } });
      await writeHistory(m, fg, "wholesale_release", {
        details: {
          hold_id: hold.id,
          sku_name: hold.sku_name,
          quantity: hold.quantity,
          notes: hold.notes,
          held_since: hold.created_date.toISOString(),
        },
      });
      await m.audit({
        entity: "wholesale_hold",
        entityId: hold.id,
        label: `${fg.strain} · ${fg.metrc_number}`,
        before: { metrc_number: hold.metrc_number, sku_name: hold.sku_name, quantity: hold.quantity, notes: hold.notes },
        after: null,
      });
      await m.emit("wholesale.hold_released", {
        hold_id: hold.id,
        metrc_number: hold.metrc_number,
        sku_name: hold.sku_name,
        quantity: hold.quantity,
      });
      return { success: true as const, message: `Released hold of ${hold.quantity} × ${hold.sku_name} (${hold.metrc_number})` };
    }),
  );
}

/** `GET /api/wholesale/holds?metrc_number=`: newest first. */
export async function listHolds(metrcNumber?: string) {
  const holds = await db.wholesaleHold.findMany({
    where: metrcNumber ? { metrc_number: metrcNumber.toUpperCase() } : {},
    orderBy: [{ created_date: "desc" }, { id: "asc" }],
  });
  return { success: true as const, holds: holds.map(serializeHold) };
}
