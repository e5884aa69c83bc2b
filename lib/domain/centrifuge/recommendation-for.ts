import { db } from "@/lib/db/client";
import type { CentrifugeOutcome } from "@/lib/generated/prisma/client";
import { confidenceLevel, recommend, type PriorityMode } from "@/lib/domain/centrifuge/learning/recommend";
import { daysSinceHarvest, strainKey } from "@/lib/domain/centrifuge/strain";

/**
 * Shared by the trends and unified-recommendation reads: the context a `target_batch` gives, and
 * one recommendation from the learning processor's stored row when it answers the question
 * exactly, else computed from the outcomes on the spot.
 */

export interface Question {
  strain: string;
  size: string | null;
  grind_size: string | null;
  priority_mode: PriorityMode;
  temporal: boolean;
  /** Explicit age to favour (query or target batch); null = the newest outcome's, as the processor does. */
  days_since_harvest: number | null;
}

/**
 * `target_batch` = the batch being planned: its grind size and harvest age are the defaults for
 * the question, and its own outcomes are left out. An unknown id is ignored (`found: false`).
 */
export async function targetBatchContext(id: string | undefined) {
  if (!id) return null;
  const batch = await db.batch.findUnique({ where: { id }, select: { id: true, strain: true, grind_size: true, harvest_date: true } });
  if (!batch) return { id, found: false as const, grind_size: null, days_since_harvest: null };
  return { id, found: true as const, grind_size: batch.grind_size, days_since_harvest: daysSinceHarvest(batch.harvest_date) };
}

export type RecommendationSource = "learned" | "computed";

/**
 * The recommendation for a question over `outcomes` (already narrowed to strain/size/grind and
 * without the excluded batch). The stored row is used when it was computed from exactly these
 * outcomes under the processor's defaults (weight mode, harvest age of the newest outcome, all
 * outcomes processed); otherwise — another priority mode, an explicit age, a batch left out, new
 * outcomes not yet processed, several grinds mixed — it is computed the same way on the spot.
 */
export async function recommendationFor(q: Question, outcomes: readonly CentrifugeOutcome[]) {
  if (outcomes.length === 0) return null;
  const processorDefaults =
    q.size !== null &&
    q.grind_size !== null &&
    q.priority_mode === "weight" &&
    q.temporal &&
    q.days_since_harvest === null &&
    outcomes.every((o) => o.processed_at !== null && (o.grind_size ?? "") === q.grind_size && o.size === q.size);
  if (processorDefaults) {
    const rows = await db.centrifugeRecommendation.findMany({ where: { size: q.size!, grind_size: q.grind_size! } });
    const row = rows.find((r) => strainKey(r.strain) === strainKey(q.strain));
    if (row && row.sample_size === outcomes.length) {
      return {
        rpm: row.rpm,
        time_seconds: row.time_seconds,
        cycles: row.cycles,
        fill_gauge_cycle1: row.fill_gauge_cycle1,
        fill_gauge_cycle2: row.fill_gauge_cycle2,
        confidence: row.confidence,
        confidence_level: confidenceLevel(row.confidence),
        sample_size: row.sample_size,
        source: "learned" as RecommendationSource,
        updated_at: row.updated_at.toISOString() as string | null,
      };
    }
  }
  const rec = recommend(outcomes, {
    priorityMode: q.priority_mode,
    temporal: q.temporal,
    referenceDays: q.days_since_harvest === null ? undefined : q.days_since_harvest,
  })!;
  return {
    ...rec,
    confidence_level: confidenceLevel(rec.confidence),
    source: "computed" as RecommendationSource,
    updated_at: null as string | null,
  };
}
