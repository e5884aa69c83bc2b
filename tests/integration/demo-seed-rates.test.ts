import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { seedDemoData } from "@/scripts/seed-demo";
import { defaultSettings } from "@/lib/domain/settings/defaults";
import { STAGE } from "@/lib/domain/batches/constants";
import { workingHoursBetween } from "@/lib/domain/batches/rate/working-clock";
import * as dataRoute from "@/app/api/data/route";
import * as rateHistoryRoute from "@/app/api/batch/[id]/rate-history/route";

/**
 * The demo seed (scripts/seed-demo.ts, run by `npm start` on first start and by e2e/serve.mjs)
 * writes count history directly, after createBatch's stage change already cached a rate over no
 * counts. Every batch with counts over working time must come out rated, with an ETA while in
 * progress — the stage board's "Rate" and ETA, and the batch page's rate now / average / best.
 */

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
  await seedDemoData(systemContext("bootstrap", "cli"));
});

describe("demo seed production rates", () => {
  it("every batch in stage 2–7 with counts over ≥ 2 working hours has a positive cached rate, history and metrics", async () => {
    const batches = await db.batch.findMany({ where: { stage: { gte: STAGE.IN_PROGRESS } } });
    const data = await call(dataRoute.GET, { path: "/api/data", headers: p.headers.apiKey });
    expect(data.status).toBe(200);
    const listed = new Map((data.json as { id: string; cached_production_rate: number | null }[]).map((b) => [b.id, b]));
    let rated = 0;
    for (const b of batches) {
      const entries = await db.countEntry.findMany({ where: { batch_id: b.id }, orderBy: { at: "asc" } });
      if (entries.length < 2) continue;
      const span = workingHoursBetween(entries[0].at, entries.at(-1)!.at, defaultSettings.work_schedule);
      if (span < 2) continue;
      rated += 1;
      const label = `${b.strain} (stage ${b.stage})`;
      expect(b.cached_production_rate, label).toBeGreaterThan(0);
      expect(listed.get(b.id)?.cached_production_rate, label).toBe(b.cached_production_rate);

      const res = await call(rateHistoryRoute.GET, {
        path: `/api/batch/${b.id}/rate-history`,
        params: { id: b.id },
        headers: p.headers.apiKey,
      });
      expect(res.status).toBe(200);
      const { rate_history, rate_metrics } = res.json;
      expect(res.json.cached_production_rate, label).toBe(b.cached_production_rate);
      expect(rate_history.length, label).toBeGreaterThanOrEqual(2);
      expect(rate_history.at(-1).total_count, label).toBe(b.counts_0_5 + b.counts_0_7 + b.counts_1_0);
      expect(rate_metrics.data_points, label).toBe(rate_history.length);
      expect(rate_metrics.working_hours, label).toBeCloseTo(span, 3);
      expect(rate_metrics.current_rate, label).toBe(b.cached_production_rate);
      expect(rate_metrics.average_rate, label).toBeGreaterThan(0);
      expect(rate_metrics.peak_rate, label).toBeGreaterThan(0);
      if (b.stage === STAGE.IN_PROGRESS && res.json.remaining_units > 0) {
        expect(res.json.eta_working_hours, label).toBeGreaterThan(0);
        expect(res.json.estimated_completion, label).not.toBeNull();
      }
    }
    // Not vacuous: the seed gives every batch from stage 2 on a few working days of counts.
    expect(rated).toBe(batches.length);
    expect(rated).toBeGreaterThanOrEqual(10);
  });
});
