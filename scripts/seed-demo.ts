/**
 * Demo data for a first start (and `npm run db:seed`): realistic strains, batches in every stage
 * 0–7 with per-size counts and count history over the last working days, finished goods with
 * history, papers/cones and other supplies with a bill of materials. Built from the same
 * factories the tests use; every row goes through `mutate`, so audit and events are real.
 */
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { createBatch } from "@/lib/domain/batches/create-batch";
import { sizes } from "@/lib/domain/batches/constants";
import { buildBatch, metrcTag, STRAINS } from "@/prisma/seed/batch";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import { otherSupplies, paperSupplies } from "@/prisma/seed/supply";
import { supplyEventPayload } from "@/lib/domain/supplies/supply-stock";
import { refreshProductionRate } from "@/lib/domain/batches/rate/refresh-rate";

const HOUR = 3_600_000;

/** Deterministic pseudo-random numbers: the demo looks the same on every machine. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** Hours during the last `days` weekdays between 8:00 and 17:00, oldest first. */
function workingHours(now: Date, days: number): Date[] {
  const out: Date[] = [];
  for (let d = days; d >= 0; d--) {
    const day = new Date(now.getTime() - d * 24 * HOUR);
    if (day.getDay() === 0 || day.getDay() === 6) continue;
    for (let h = 8; h < 17; h++) {
      const t = new Date(day);
      t.setHours(h, 30, 0, 0);
      if (t < now) out.push(t);
    }
  }
  return out;
}

export async function seedDemoData(ctx: ActorContext, options: { batches?: number } = {}) {
  const random = rng(42);
  const now = new Date();
  const stagePlan = [0, 0, 1, 2, 2, 2, 3, 4, 4, 5, 6, 7, 7, 1];
  const total = options.batches ?? stagePlan.length;

  for (let i = 0; i < total; i++) {
    const stage = stagePlan[i % stagePlan.length];
    const input = buildBatch({ strain: STRAINS[i % STRAINS.length], input_grams: 800 + Math.round(random() * 16) * 100 });
    const planned = {
      planned_0_5: Math.round((input.input_grams * 0.4) / 0.5),
      planned_0_7: Math.round((input.input_grams * 0.3) / 0.7),
      planned_1_0: Math.round(input.input_grams * 0.3),
    };
    const batch = await createBatch(ctx, {
      ...input,
      ...planned,
      grams_ground: stage >= 1 ? input.input_grams : Math.round(input.input_grams * random() * 0.6),
      origin_metrc_number: metrcTag(1000 + i),
      centrifuge_rpm: 2200,
      centrifuge_time_seconds: 15,
      centrifuge_cycles: 2,
      centrifuge_fill_gauge_cycle1: 6,
      centrifuge_fill_gauge_cycle2: 4,
      centrifuge_machine: "silver_bullet",
      testing_status: stage >= 5 ? "test_passed" : stage === 4 ? "sample_sent" : "none",
      stage,
    });
    if (stage < 2) continue;

    // Count history: production rolled over the last few working days, finished for stage ≥ 3.
    const hours = workingHours(now, 3 + (i % 4)).slice(-(12 + (i % 10)));
    const share = stage >= 3 ? 1 : 0.3 + random() * 0.5;
    await mutate(ctx, async (m) => {
      const totals = { "0_5": 0, "0_7": 0, "1_0": 0 };
      const entries: { batch_id: string; size: string; delta: number; total_after: number; actor: string; source: string; at: Date }[] = [];
      for (const at of hours) {
        for (const size of sizes) {
          const target = Math.round(planned[`planned_${size}`] * share);
          const step = Math.min(target - totals[size], Math.round(target / hours.length + random() * 20));
          if (step <= 0) continue;
          totals[size] += step;
          entries.push({ batch_id: batch.id, size, delta: step, total_after: totals[size], actor: "demo", source: "import", at });
        }
      }
      await m.tx.countEntry.createMany({ data: entries });
      const first = hours[0] ?? now;
      const counted = await m.tx.batch.update({
        where: { id: batch.id },
        data: {
          counts_0_5: totals["0_5"],
          counts_0_7: totals["0_7"],
          counts_1_0: totals["1_0"],
          production_start_time: first,
          current_session_start: stage === 2 ? first : null,
          production_sessions: [{ start: first.toISOString(), end: stage === 2 ? null : (hours.at(-1) ?? now).toISOString() }],
          stage_entered_at: new Date(now.getTime() - (1 + (i % 5)) * 24 * HOUR),
        },
      });
      await m.audit({
        entity: "batch",
        entityId: batch.id,
        label: batch.strain,
        before: batch,
        after: { counts_0_5: totals["0_5"], counts_0_7: totals["0_7"], counts_1_0: totals["1_0"] },
      });
      await m.emit("batch.counts_changed", { batch_id: batch.id, strain: batch.strain, deltas: totals, counts: totals });
      // The entries are written directly (not through recordCounts), and createBatch's stage change
      // already cached a rate over no counts: recompute it, as every real count write does.
      await refreshProductionRate(m, counted);
    });
  }

  // Finished goods with a little history each.
  for (let i = 0; i < 6; i++) {
    const fg = buildFinishedGood({ metrc_number: metrcTag(5000 + i), strain: STRAINS[(i * 3) % STRAINS.length], grams: 400 + i * 150 });
    await mutate(ctx, async (m) => {
      const created = new Date(now.getTime() - (10 - i) * 24 * HOUR);
      const deducted = Math.round(fg.grams * (0.1 + 0.1 * i));
      const current = fg.grams - deducted;
      await m.tx.finishedGood.create({
        data: {
          metrc_number: fg.metrc_number,
          strain: fg.strain,
          initial_grams: fg.grams,
          current_grams: current,
          created_date: created,
          status: current > 0 ? "active" : "depleted",
        },
      });
      await m.tx.finishedGoodHistory.createMany({
        data: [
          {
            metrc_number: fg.metrc_number,
            timestamp: created,
            change_type: "created",
            grams_changed: fg.grams,
            current_grams: fg.grams,
            status: "active",
            actor: "demo",
            details: { source: "demo" },
          },
          {
            metrc_number: fg.metrc_number,
            timestamp: new Date(created.getTime() + 48 * HOUR),
            change_type: "deduct",
            grams_changed: -deducted,
            current_grams: current,
            status: "active",
            actor: "demo",
            reason: "Store order",
            details: { delta: -deducted },
          },
        ],
      });
      await m.audit({
        entity: "finished_good",
        entityId: fg.metrc_number,
        label: fg.strain,
        before: null,
        after: { strain: fg.strain, initial_grams: fg.grams },
      });
      await m.emit("finished_good.created", { metrc_number: fg.metrc_number, strain: fg.strain, grams: fg.grams, source_batch_id: null });
    });
  }

  // Papers/cones per size and other supplies, with a bill of materials.
  await mutate(ctx, async (m) => {
    for (const [i, s] of [...paperSupplies, ...otherSupplies].entries()) {
      const supply = await m.tx.supply.create({ data: { ...s, boxes: 3 + ((i * 7) % 12), individual_units: (i * 137) % s.units_per_box } });
      await m.emit("supply.updated", supplyEventPayload(supply));
      const bom: Record<string, [string, number][]> = {
        tip: [
          ["unit_0_5", 1],
          ["unit_0_7", 1],
          ["unit_1_0", 1],
        ],
        tube: [["pack_1", 1]],
        box_6: [["pack_6", 1]],
        box_12: [["pack_12", 1]],
      };
      for (const [applies_to, quantity] of bom[s.kind] ?? []) {
        await m.tx.bomItem.create({ data: { supply_id: supply.id, applies_to, quantity } });
      }
    }
    await m.tx.setting.upsert({
      where: { key: "demo_seeded" },
      create: { key: "demo_seeded", value: { at: now.toISOString() } },
      update: {},
    });
    await m.emit("setting.updated", { key: "demo_seeded" });
  });
}
