import type { Batch } from "@/lib/generated/prisma/client";
import type { Mutation } from "@/lib/db/mutate";
import { readSettings } from "@/lib/domain/settings/settings";
import { massBalance, withinTolerance } from "@/lib/domain/batches/mass-balance";

const HOUR_MS = 3_600_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The mass-balance check when a batch reaches Done (called by applyStageChange inside the stage
 * change's transaction): a gap beyond the `mass_balance_tolerance_percent` setting emits one
 * `batch.mass_balance_gap` event, which the notifier ("Pushover alerts" subscriber) pushes.
 *
 * Once per reaching Done — the stage change calls this only on the transition into Done, so one
 * move emits at most one event. Moving back and to Done again re-checks, with the cooldown rules
 * of the stock alerts ([5], lib/domain/alerts/check-alerts.ts) per batch: within the Pushover
 * `cooldown_hours` of an alert for the same batch, a gap no larger than the one already alerted
 * is suppressed (no event, no push); a larger gap is an escalation and is sent. The cooldown
 * state is the events themselves, read in this transaction, so two moves cannot both send.
 */
export async function checkMassBalanceAtDone(m: Mutation, batch: Batch): Promise<"within" | "sent" | "suppressed"> {
  const settings = await readSettings(m.tx);
  const tolerance = settings.mass_balance_tolerance_percent;
  const balance = massBalance(batch);
  if (withinTolerance(balance.gap_percent, tolerance)) return "within";

  const since = new Date(m.now.getTime() - settings.pushover.cooldown_hours * HOUR_MS);
  const recent = await m.tx.event.findMany({
    where: { type: "batch.mass_balance_gap", created_at: { gte: since } },
    select: { payload: true },
  });
  const alerted = recent
    .map((e) => e.payload as { batch_id?: string; gap_grams?: number })
    .filter((p) => p.batch_id === batch.id && typeof p.gap_grams === "number")
    .reduce((worst, p) => Math.max(worst, Math.abs(p.gap_grams!)), -1);
  if (alerted >= Math.abs(balance.gap_grams) - 1e-9) return "suppressed";

  await m.emit("batch.mass_balance_gap", {
    batch_id: batch.id,
    strain: batch.strain,
    gap_grams: balance.gap_grams,
    tolerance_grams: round2((batch.input_grams * tolerance) / 100),
    gap_percent: balance.gap_percent!,
    tolerance_percent: tolerance,
    input_grams: batch.input_grams,
    product_grams: balance.product_grams,
    lab_sample_grams: batch.lab_sample_grams,
    waste_grams: batch.waste_grams,
    remainder_grams: batch.remainder_grams,
    accounted_grams: balance.accounted_grams,
    fill_basis: balance.fill_basis,
  });
  return "sent";
}
