import type { ActorContext } from "@/lib/context";
import { db as defaultDb, type Db } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";
import type { CentrifugeRecommendation } from "@/lib/generated/prisma/client";
import { strainKey } from "@/lib/domain/centrifuge/strain";
import { recommend } from "@/lib/domain/centrifuge/learning/recommend";

/**
 * The learning processor (SPEC §5; the legacy one ran every 5 minutes): turns new centrifuge
 * outcomes into per-strain, per-size, per-grind recommendations.
 *
 * - Work = outcomes with `processed_at` null. Each (strain, size, grind_size) group that has new
 *   outcomes is recomputed from ALL of its outcomes (learning/recommend.ts: weighted towards
 *   better yield / weight-check pass rate and a harvest age like the newest outcome's, in the
 *   default `weight` priority mode), and its CentrifugeRecommendation row is upserted.
 * - Strains group case- and spacing-insensitively (`strainKey`); the row keeps the newest
 *   outcome's spelling, and rows of the same group under an older spelling are folded into it.
 *   Outcomes without a grind size form the grind_size "" group.
 * - One `mutate`: the rows (audited, entity `centrifuge_recommendation`), `processed_at` on the
 *   outcomes and one `learning.recommendations_updated` {strains, outcomes_processed} commit
 *   together. With nothing new it does not open a mutation at all (a mutation must emit an event,
 *   and an idle run must change nothing and emit nothing).
 */

export interface ProcessResult {
  success: true;
  outcomes_processed: number;
  strains: string[];
}

/** How the worker schedules it (interval as the legacy processor). */
export const CENTRIFUGE_LEARNING_JOB = { name: "centrifuge-learning", interval_seconds: 300 } as const;

class NothingToProcess extends Error {}

const idle = (): ProcessResult => ({ success: true, outcomes_processed: 0, strains: [] });

export async function processCentrifugeOutcomes(ctx: ActorContext, client: Db = defaultDb): Promise<ProcessResult> {
  const pending = await client.centrifugeOutcome.count({ where: { processed_at: null } });
  if (pending === 0) return idle();
  try {
    return await mutate(
      ctx,
      async (m) => {
        // Read again under the write lock: another run may have taken them in the meantime.
        const fresh = await m.tx.centrifugeOutcome.findMany({
          where: { processed_at: null },
          select: { id: true, strain: true, size: true, grind_size: true },
        });
        if (fresh.length === 0) throw new NothingToProcess();

        const groups = new Map<string, { key: string; size: string; grind: string }>();
        for (const o of fresh) {
          const group = { key: strainKey(o.strain), size: o.size, grind: o.grind_size ?? "" };
          groups.set(JSON.stringify(group), group);
        }
        const sizes = [...new Set([...groups.values()].map((g) => g.size))];
        const candidates = await m.tx.centrifugeOutcome.findMany({
          where: { size: { in: sizes } },
          orderBy: [{ recorded_at: "asc" }, { id: "asc" }],
        });

        const strains = new Set<string>();
        for (const group of groups.values()) {
          const members = candidates.filter(
            (o) => o.size === group.size && (o.grind_size ?? "") === group.grind && strainKey(o.strain) === group.key,
          );
          const rec = recommend(members, { priorityMode: "weight" });
          if (!rec) continue;
          const strain = members[members.length - 1].strain;
          await saveRecommendation(m, { strain, key: group.key, size: group.size, grind: group.grind }, rec);
          strains.add(strain);
        }

        await m.tx.centrifugeOutcome.updateMany({ where: { id: { in: fresh.map((o) => o.id) } }, data: { processed_at: m.now } });
        const result: ProcessResult = { success: true, outcomes_processed: fresh.length, strains: [...strains].sort() };
        await m.emit("learning.recommendations_updated", { strains: result.strains, outcomes_processed: result.outcomes_processed });
        return result;
      },
      client,
    );
  } catch (err) {
    if (err instanceof NothingToProcess) return idle();
    throw err;
  }
}

type Rec = NonNullable<ReturnType<typeof recommend>>;

async function saveRecommendation(m: Mutation, group: { strain: string; key: string; size: string; grind: string }, rec: Rec) {
  const rows = (
    await m.tx.centrifugeRecommendation.findMany({ where: { size: group.size, grind_size: group.grind }, orderBy: { id: "asc" } })
  ).filter((r) => strainKey(r.strain) === group.key);
  const keep = rows.find((r) => r.strain === group.strain) ?? rows[0];
  const extras = rows.filter((r) => r !== keep);
  if (extras.length > 0) await m.tx.centrifugeRecommendation.deleteMany({ where: { id: { in: extras.map((r) => r.id) } } });
  const data = {
    strain: group.strain,
    rpm: rec.rpm,
    time_seconds: rec.time_seconds,
    cycles: rec.cycles,
    fill_gauge_cycle1: rec.fill_gauge_cycle1,
    fill_gauge_cycle2: rec.fill_gauge_cycle2,
    confidence: rec.confidence,
    sample_size: rec.sample_size,
  };
  const row = keep
    ? await m.tx.centrifugeRecommendation.update({ where: { id: keep.id }, data })
    : await m.tx.centrifugeRecommendation.create({ data: { ...data, size: group.size, grind_size: group.grind } });
  await m.audit({
    entity: "centrifuge_recommendation",
    entityId: String(row.id),
    label: group.strain,
    before: keep ? pick(keep) : null,
    after: pick(row),
  });
}

const pick = (r: CentrifugeRecommendation) => ({
  strain: r.strain,
  size: r.size,
  grind_size: r.grind_size,
  rpm: r.rpm,
  time_seconds: r.time_seconds,
  cycles: r.cycles,
  fill_gauge_cycle1: r.fill_gauge_cycle1,
  fill_gauge_cycle2: r.fill_gauge_cycle2,
  confidence: r.confidence,
  sample_size: r.sample_size,
});
