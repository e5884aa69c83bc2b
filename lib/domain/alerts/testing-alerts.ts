import type { ActorContext } from "@/lib/context";
import { readSettings } from "@/lib/domain/settings/settings";
import { STAGE } from "@/lib/domain/batches/constants";
import { mutateIfChanged } from "@/lib/db/mutate-if-changed";

/**
 * The testing-alert check (worker job `testing-alerts`, every 30 min; SPEC §5, seed 000): batches
 * in stage 4 "Waiting on testing" for longer than the `test_alert_hours` setting get one
 * `batch.testing_overdue` event each — once per stay in stage 4: a batch that leaves the stage and
 * comes back is a new stay and can alert again. The "already alerted" state is the events
 * themselves (their `stage_entered_at` names the stay), read in the same transaction that emits,
 * so two checks can never alert twice. The notifier subscriber turns the event into a push.
 */

export interface TestingAlert {
  batch_id: string;
  strain: string;
  hours_in_stage: number;
}

export interface TestingAlertsResult {
  threshold_hours: number;
  overdue: number;
  alerted: TestingAlert[];
  already_alerted: number;
  checked_at: string;
}

const HOUR_MS = 3_600_000;

export async function checkTestingAlerts(ctx: ActorContext, now = new Date()): Promise<TestingAlertsResult> {
  return mutateIfChanged<TestingAlertsResult>(ctx, async (m, unchanged) => {
    const threshold = (await readSettings(m.tx)).test_alert_hours;
    const overdue = await m.tx.batch.findMany({
      where: { stage: STAGE.WAITING_ON_TESTING, archived: false, stage_entered_at: { lte: new Date(now.getTime() - threshold * HOUR_MS) } },
      select: { id: true, strain: true, stage_entered_at: true },
      orderBy: { stage_entered_at: "asc" },
    });
    const result: TestingAlertsResult = {
      threshold_hours: threshold,
      overdue: overdue.length,
      alerted: [],
      already_alerted: 0,
      checked_at: now.toISOString(),
    };
    if (overdue.length === 0) unchanged(result);

    // Alerts raised during the current stays: an event of a stay is never older than its start.
    const previous = await m.tx.event.findMany({
      where: { type: "batch.testing_overdue", created_at: { gte: overdue[0].stage_entered_at } },
      select: { payload: true, created_at: true },
    });
    const alertedStays = new Set<string>();
    const stayOf = (batchId: string, enteredAt: string) => `${batchId}|${enteredAt}`;
    for (const e of previous) {
      const p = e.payload as { batch_id?: string; stage_entered_at?: string };
      if (p.batch_id) alertedStays.add(stayOf(p.batch_id, p.stage_entered_at ?? ""));
    }
    for (const b of overdue) {
      const entered = b.stage_entered_at.toISOString();
      if (alertedStays.has(stayOf(b.id, entered))) {
        result.already_alerted += 1;
        continue;
      }
      const hours = Math.round(((now.getTime() - b.stage_entered_at.getTime()) / HOUR_MS) * 10) / 10;
      await m.emit("batch.testing_overdue", {
        batch_id: b.id,
        strain: b.strain,
        hours_in_stage: hours,
        threshold_hours: threshold,
        stage_entered_at: entered,
      });
      result.alerted.push({ batch_id: b.id, strain: b.strain, hours_in_stage: hours });
    }
    if (result.alerted.length === 0) unchanged(result);
    return result;
  });
}
