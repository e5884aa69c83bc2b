import type { Mutation } from "@/lib/db/mutate";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";
import { Prisma, type FinishedGood } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { effectiveSkus, heldGrams } from "@/lib/domain/finished-goods/sku-engine";

/**
 * How grams leave and enter a package. Taking grams is ONE conditional update
 * (`UPDATE … SET current_grams = current_grams − g WHERE current_grams >= g AND <the rule>`, the
 * rule being what the path must leave in place — `TakeRule`: holds, orders, the shelf count)
 * whose row count decides: never read-then-write, so parallel deducts cannot both spend the same
 * grams, inventory never goes negative and holds never exceed what is left. The same transaction then rounds the stored figures to the
 * milligram and moves the status between active and depleted.
 *
 * A physical override (the shelf count) moves with the grams: a sale or a pack takes flower off
 * the shelf too, so effective grams — what Apex is told — drop at once instead of staying stale
 * until someone re-counts (apex-decrement does the same).
 */

/** 409 for a short deduct/pack/complete: the existing system's text, with what is there. */
export function insufficientGrams(available: number, requested: number): ApiError {
  return new ApiError(
    409,
    "insufficient_grams",
    "Insufficient grams available",
    { available_grams: available, requested_grams: requested },
    { available_grams: available },
  );
}

const TRACKED = ["current_grams", "grams_ordered", "grams_packed", "grams_packed_lifetime", "grams_fulfilled"] as const;

/**
 * Status follows the balance: an active package at 0 g is depleted, a depleted one with grams is
 * active again. Archived and orphaned packages keep their status (a person chose it).
 */
export function statusForGrams(status: string, grams: number): string {
  if (status === "active" && grams <= 0) return "depleted";
  if (status === "depleted" && grams > 0) return "active";
  return status;
}

/** Rounds the gram columns to the milligram and applies `statusForGrams`, writing only on a difference. */
export async function settle(m: Mutation, fg: FinishedGood): Promise<FinishedGood> {
  const data: Prisma.FinishedGoodUpdateInput = {};
  for (const field of TRACKED) {
    const value = Math.max(0, roundGrams(fg[field]));
    if (value !== fg[field]) data[field] = value;
  }
  // Status follows what is on the shelf: the override when set (a count of 0 g is depleted,
  // product on the shelf is active whatever the book says).
  const grams = Math.max(0, roundGrams(fg.physical_grams_override ?? fg.current_grams));
  const status = statusForGrams(fg.status, grams);
  if (status !== fg.status) data.status = status;
  if (fg.physical_grams_override !== null) {
    const override = Math.max(0, roundGrams(fg.physical_grams_override));
    if (override !== fg.physical_grams_override) data.physical_grams_override = override;
  }
  if (Object.keys(data).length === 0) return fg;
  return m.tx.finishedGood.update({ where: { metrc_number: fg.metrc_number }, data });
}

/**
 * What a path that lowers grams must leave in place (README "Decisions worth knowing"):
 *
 * - `"book"`: only the book — current grams never below 0 (imports reconciling to METRC).
 * - `"holds"`: also the shelf (effective grams = override ?? current ≥ grams) and every wholesale
 *   hold: effective − grams ≥ held grams. Pack and complete-order: they fill orders, so they may
 *   use the grams orders reserve (`grams_ordered`), never grams held for wholesale.
 * - `"reservations"`: the shelf and every reservation: grams ≤ available = effective − ordered −
 *   packed − held (the contract's formula). Deduct and apex-decrement: a sale outside an order.
 *
 * An admin's `override_reason` lets `"holds"` / `"reservations"` fall back to the shelf check
 * (book and shelf still hold); the override is written on the history row and as an audit row.
 */
export type TakeRule = { keep: "book" } | { keep: "holds" | "reservations"; isAdmin?: boolean; overrideReason?: string | null };

/** The reservations a refused take found, as the 409's `details` report them. */
export interface Reservations {
  current_grams: number;
  effective_grams: number;
  held_grams: number;
  ordered_grams: number;
  packed_grams: number;
}

/** Floating-point grace for the SQL comparisons of sums (0.1 + 0.2 must cover 0.3). */
const GRACE = 1e-9;

/**
 * THE conditional update: current (and the override, which moves with it) down by `grams` only
 * if the row still satisfies `keep`. One statement — the row count decides.
 */
async function conditionalTake(
  m: Mutation,
  metrcNumber: string,
  grams: number,
  keep: "book" | "shelf" | "holds" | "reservations",
  held: number,
) {
  const book = Prisma.sql`current_grams >= ${grams}`;
  const shelf = Prisma.sql`COALESCE(physical_grams_override, current_grams) >= ${grams - GRACE}`;
  const reserved =
    keep === "reservations"
      ? Prisma.sql`COALESCE(physical_grams_override, current_grams) - grams_ordered - grams_packed - ${held} >= ${grams - GRACE}`
      : keep === "holds"
        ? Prisma.sql`COALESCE(physical_grams_override, current_grams) - ${held} >= ${grams - GRACE}`
        : Prisma.sql`1 = 1`;
  const condition = keep === "book" ? book : Prisma.sql`${book} AND ${shelf} AND ${reserved}`;
  return m.tx.$executeRaw(Prisma.sql`
    UPDATE finished_goods
       SET current_grams = current_grams - ${grams},
           physical_grams_override = physical_grams_override - ${grams}
     WHERE metrc_number = ${metrcNumber} AND ${condition}`);
}

/** 409 for a take the reservations refuse: what is on hand, and what holds and orders keep. */
export function gramsReserved(r: Reservations, requested: number, keep: "holds" | "reservations", isAdmin: boolean): ApiError {
  const reserved = keep === "reservations" ? r.held_grams + r.ordered_grams + r.packed_grams : r.held_grams;
  const available = Math.max(0, roundGrams(Math.min(r.current_grams, r.effective_grams) - reserved));
  const what =
    keep === "reservations"
      ? `held for wholesale ${r.held_grams} g, ordered ${r.ordered_grams} g, packed ${r.packed_grams} g`
      : `held for wholesale ${r.held_grams} g`;
  return new ApiError(
    409,
    "grams_reserved",
    `Insufficient grams available: ${available} g of ${r.effective_grams} g are free (${what})`,
    {
      available_grams: available,
      requested_grams: requested,
      held_grams: r.held_grams,
      ordered_grams: r.ordered_grams,
      packed_grams: r.packed_grams,
      effective_grams: r.effective_grams,
      current_grams: r.current_grams,
      override: isAdmin ? "send override_reason to sell reserved grams" : "only an admin can override, with override_reason",
    },
    { available_grams: available },
  );
}

/** Held grams of one package (its holds resolved against its SKU set). */
export async function packageHeldGrams(m: Mutation, fg: FinishedGood): Promise<number> {
  const holds = await m.tx.wholesaleHold.findMany({ where: { metrc_number: fg.metrc_number }, select: { sku_name: true, quantity: true } });
  return heldGrams(holds, effectiveSkus(fg.custom_skus));
}

/**
 * Takes `grams` from the package's current grams (and its override), under `rule`, with `also`
 * applied in the same transaction (pack raises grams_packed, complete-order raises
 * grams_fulfilled). The row is write-locked first (so the holds read next cannot change before
 * the update), then ONE conditional UPDATE decides. 404 when the package does not exist; 409
 * "Insufficient grams available" (`insufficient_grams`) when the book or the shelf holds less,
 * 409 `grams_reserved` when the grams are there but reserved. `reservation_override` is set when
 * an admin's override_reason let the take use reserved grams.
 */
export async function takeGrams(
  m: Mutation,
  metrcNumber: string,
  grams: number,
  also: Prisma.FinishedGoodUpdateManyMutationInput = {},
  rule: TakeRule = { keep: "book" },
): Promise<{ previous_grams: number; after: FinishedGood; reservation_override: (Reservations & { reason: string }) | null }> {
  const where = { metrc_number: metrcNumber };
  const locked = await m.tx.finishedGood.updateMany({ where, data: { updated_date: m.now } });
  if (locked.count !== 1) await loadFinishedGood(m.tx, metrcNumber); // 404
  const before = await loadFinishedGood(m.tx, metrcNumber);
  const held = rule.keep === "book" ? 0 : await packageHeldGrams(m, before);
  const reservations: Reservations = {
    current_grams: before.current_grams,
    effective_grams: before.physical_grams_override ?? before.current_grams,
    held_grams: held,
    ordered_grams: before.grams_ordered,
    packed_grams: before.grams_packed,
  };
  let count = await conditionalTake(m, metrcNumber, grams, rule.keep, held);
  let override: (Reservations & { reason: string }) | null = null;
  if (count !== 1 && rule.keep !== "book") {
    const onShelf = Math.min(reservations.current_grams, reservations.effective_grams);
    if (onShelf < grams) throw insufficientGrams(Math.max(0, onShelf), grams);
    if (!(rule.isAdmin && rule.overrideReason)) throw gramsReserved(reservations, grams, rule.keep, rule.isAdmin ?? false);
    count = await conditionalTake(m, metrcNumber, grams, "shelf", 0);
    if (count === 1) override = { ...reservations, reason: rule.overrideReason };
  }
  if (count !== 1) {
    const fg = await loadFinishedGood(m.tx, metrcNumber);
    throw insufficientGrams(fg.current_grams, grams);
  }
  if (Object.keys(also).length) await m.tx.finishedGood.updateMany({ where, data: also });
  const after = await settle(m, await loadFinishedGood(m.tx, metrcNumber));
  await auditOverrideMove(m, after, grams);
  if (override) {
    await m.audit({
      entity: "finished_good",
      entityId: after.metrc_number,
      label: after.strain,
      before: { reservation_override: null },
      after: {
        reservation_override: `${grams} g over reservations (held ${held} g, ordered ${before.grams_ordered} g): ${override.reason}`,
      },
    });
  }
  return { previous_grams: roundGrams(after.current_grams + grams), after, reservation_override: override };
}

/** Adds `grams` to current grams in one atomic increment; a depleted package becomes active. */
export async function giveGrams(m: Mutation, metrcNumber: string, grams: number): Promise<{ previous_grams: number; after: FinishedGood }> {
  const { count } = await m.tx.finishedGood.updateMany({
    where: { metrc_number: metrcNumber },
    data: { current_grams: { increment: grams }, physical_grams_override: { increment: grams }, updated_date: m.now },
  });
  if (count !== 1) await loadFinishedGood(m.tx, metrcNumber); // 404
  const after = await settle(m, await loadFinishedGood(m.tx, metrcNumber));
  await auditOverrideMove(m, after, -grams);
  return { previous_grams: Math.max(0, roundGrams(after.current_grams - grams)), after };
}

/** The override's audit row when it moved with the grams (`taken` > 0 for a deduct). */
async function auditOverrideMove(m: Mutation, after: FinishedGood, taken: number): Promise<void> {
  if (after.physical_grams_override === null) return;
  await m.audit({
    entity: "finished_good",
    entityId: after.metrc_number,
    label: after.strain,
    before: { physical_grams_override: Math.max(0, roundGrams(after.physical_grams_override + taken)) },
    after: { physical_grams_override: after.physical_grams_override },
  });
}

/** Writes absolute values (set-ordered, set-packed, sync, complete-order's ordered) and settles. */
export async function setGrams(m: Mutation, metrcNumber: string, data: Prisma.FinishedGoodUpdateManyMutationInput): Promise<FinishedGood> {
  await m.tx.finishedGood.updateMany({ where: { metrc_number: metrcNumber }, data: { ...data, updated_date: m.now } });
  return settle(m, await loadFinishedGood(m.tx, metrcNumber));
}

/**
 * The record of one gram movement (deduct, add, pack): its history row (grams_changed signed),
 * audit rows for the balance and status (plus `auditBefore`/`auditAfter` extras) and its event.
 */
export async function recordMove(
  m: Mutation,
  move: {
    event: "finished_good.deducted" | "finished_good.added" | "finished_good.packed";
    changeType: "deduct" | "add" | "pack";
    statusBefore: string;
    previous_grams: number;
    after: FinishedGood;
    grams: number;
    reason: string | null;
    details?: Record<string, unknown>;
    auditBefore?: Record<string, unknown>;
    auditAfter?: Record<string, unknown>;
  },
): Promise<void> {
  const { after, grams, previous_grams, reason } = move;
  await writeHistory(m, after, move.changeType, {
    gramsChanged: move.changeType === "add" ? grams : -grams,
    reason,
    details: { previous_grams, ...move.details },
  });
  await m.audit({
    entity: "finished_good",
    entityId: after.metrc_number,
    label: after.strain,
    before: { current_grams: previous_grams, status: move.statusBefore, ...move.auditBefore },
    after: { current_grams: after.current_grams, status: after.status, ...move.auditAfter },
  });
  await m.emit(move.event, {
    metrc_number: after.metrc_number,
    strain: after.strain,
    previous_grams,
    current_grams: after.current_grams,
    grams,
    reason,
  });
}
