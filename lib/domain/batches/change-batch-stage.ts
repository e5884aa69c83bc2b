import type { Batch } from "@/lib/generated/prisma/client";
import type { ActorContext } from "@/lib/context";
import { mutate, type Mutation } from "@/lib/db/mutate";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { parseSessions, transitionSessions } from "@/lib/domain/batches/sessions";
import { refreshProductionRate } from "@/lib/domain/batches/rate/refresh-rate";
import { readSettings } from "@/lib/domain/settings/settings";
import { STAGE } from "@/lib/domain/batches/constants";
import { checkMassBalanceAtDone } from "@/lib/domain/batches/mass-balance-check";
import type { ChangeStageInput } from "@/lib/domain/batches/batch-schema";
import { auditValue } from "@/lib/db/audit";

/**
 * Moves a batch to another stage inside an open mutation: stage history (who/when), production
 * sessions, audit rows and `batch.stage_changed`. Going backwards is allowed and audited.
 */
export async function applyStageChange(m: Mutation, batch: Batch, to: number, auto = false): Promise<Batch> {
  const from = batch.stage;
  if (from === to) return batch;
  // The working clock the rate uses (read in this transaction): work hours skip nights/weekends.
  const { work_schedule } = await readSettings(m.tx);
  const sessions = transitionSessions(
    {
      production_sessions: parseSessions(batch.production_sessions),
      current_session_start: batch.current_session_start,
      production_start_time: batch.production_start_time,
      production_end_time: batch.production_end_time,
      production_duration_hours: batch.production_duration_hours,
      total_work_hours: batch.total_work_hours,
    },
    from,
    to,
    m.now,
    work_schedule,
  );
  const sessionsChanged = JSON.stringify(sessions.production_sessions) !== JSON.stringify(parseSessions(batch.production_sessions));
  const patch = {
    stage: to,
    stage_entered_at: m.now,
    ...sessions,
    // Only written when a session started or ended (null and [] mean the same: none yet).
    production_sessions: sessionsChanged ? (sessions.production_sessions as object[]) : undefined,
  };
  const updated = await m.tx.batch.update({ where: { id: batch.id }, data: patch });
  await m.tx.stageHistory.create({
    data: { batch_id: batch.id, from_stage: from, to_stage: to, auto, actor: m.ctx.actor, at: m.now },
  });
  const { stage_entered_at: _entered, ...audited } = patch;
  void _entered;
  await m.audit({
    entity: "batch",
    entityId: batch.id,
    label: batch.strain,
    before: batch,
    after: auto ? { ...audited, stage: undefined, stage_auto_advanced: `${from}→${to}` } : audited,
  });
  await m.emit("batch.stage_changed", { batch_id: batch.id, strain: batch.strain, from, to, auto });
  // Same transaction: refresh the cached production rate (schedule or history may have changed).
  return refreshProductionRate(m, updated);
}

/** The mass-balance grams a stage change may carry (entered with "Move to Done" on the floor). */
const massBalanceFields = ["lab_sample_grams", "waste_grams", "remainder_grams"] as const;

/**
 * POST /api/batches/{id}/stage: the move, and the lab sample / waste / remainder grams when the
 * body has them — written (audited, `batch.updated`) before the move in the same transaction, so
 * the Done check sees them and a refused move changes nothing. Reaching Done from another stage
 * runs the mass-balance check (mass-balance-check.ts) in the same transaction: at most one
 * `batch.mass_balance_gap` per move. (A batch *created* at Done — the demo seed, records entered
 * after the fact — is not checked: nothing was moved, its counts are not entered yet.)
 */
export async function changeBatchStage(
  ctx: ActorContext,
  id: string,
  to: number,
  input: Omit<ChangeStageInput, "stage"> = {},
): Promise<Batch> {
  return mutate(ctx, async (m) => {
    let batch = await loadBatch(m.tx, id);
    const patch = Object.fromEntries(massBalanceFields.filter((k) => input[k] !== undefined).map((k) => [k, input[k]!]));
    const changed = Object.keys(patch).filter((k) => auditValue(patch[k]) !== auditValue(batch[k as keyof Batch]));
    if (changed.length > 0) {
      const before = batch;
      batch = await m.tx.batch.update({ where: { id }, data: patch });
      await m.audit({ entity: "batch", entityId: id, label: batch.strain, before, after: patch });
      await m.emit("batch.updated", { batch_id: id, strain: batch.strain, changed_fields: changed });
    }
    const from = batch.stage;
    batch = await applyStageChange(m, batch, to);
    if (to === STAGE.DONE && from !== STAGE.DONE) await checkMassBalanceAtDone(m, batch);
    return batch;
  });
}
