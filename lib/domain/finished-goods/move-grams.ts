import type { Mutation } from "@/lib/db/mutate";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";
import type { FinishedGood, Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";

/**
 * How grams leave and enter a package. Taking grams is ONE conditional update
 * (`UPDATE … SET current_grams = current_grams − g WHERE current_grams >= g`) whose row count
 * decides: never read-then-write, so parallel deducts cannot both spend the same grams, and
 * inventory never goes negative. The same transaction then rounds the stored figures to the
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
async function settle(m: Mutation, fg: FinishedGood): Promise<FinishedGood> {
  const data: Prisma.FinishedGoodUpdateInput = {};
  for (const field of TRACKED) {
    const value = Math.max(0, roundGrams(fg[field]));
    if (value !== fg[field]) data[field] = value;
  }
  const grams = Math.max(0, roundGrams(fg.current_grams));
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
 * Takes `grams` from the package's current grams, with `also` applied in the same statement
 * (pack raises grams_packed, complete-order raises grams_fulfilled). 404 when the package does
 * not exist, 409 "Insufficient grams available" when it holds less.
 */
export async function takeGrams(
  m: Mutation,
  metrcNumber: string,
  grams: number,
  also: Prisma.FinishedGoodUpdateManyMutationInput = {},
): Promise<{ previous_grams: number; after: FinishedGood }> {
  const { count } = await m.tx.finishedGood.updateMany({
    where: { metrc_number: metrcNumber, current_grams: { gte: grams } },
    // NULL − g stays NULL: packages without an override are untouched.
    data: { ...also, current_grams: { decrement: grams }, physical_grams_override: { decrement: grams }, updated_date: m.now },
  });
  if (count !== 1) {
    const fg = await loadFinishedGood(m.tx, metrcNumber);
    throw insufficientGrams(fg.current_grams, grams);
  }
  const after = await settle(m, await loadFinishedGood(m.tx, metrcNumber));
  await auditOverrideMove(m, after, grams);
  return { previous_grams: roundGrams(after.current_grams + grams), after };
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
