import type { Tx } from "@/lib/db/client";
import type { Mutation } from "@/lib/db/mutate";

/**
 * The sample data `npm start` seeds on a fresh install (scripts/seed-demo.ts, written by the
 * `bootstrap` actor): found by who wrote it, and removed before a switch-over so the facility's
 * real data does not sit beside invented batches and packages.
 */

export const DEMO_ACTOR = "bootstrap";

export interface DemoData {
  any: boolean;
  batches: Set<string>;
  packages: Set<string>;
  supplies: Set<string>;
}

export async function findDemoData(tx: Tx): Promise<DemoData> {
  const seeded = await tx.setting.findUnique({ where: { key: "demo_seeded" }, select: { key: true } });
  if (!seeded) return { any: false, batches: new Set(), packages: new Set(), supplies: new Set() };
  const created = await tx.auditLog.findMany({
    where: { actor: DEMO_ACTOR, entity: { in: ["batch", "finished_good"] }, field: { in: ["strain"] }, old: null },
    select: { entity: true, entity_id: true },
    distinct: ["entity", "entity_id"],
  });
  const batchIds = new Set(created.filter((r) => r.entity === "batch").map((r) => r.entity_id));
  const packageIds = new Set(created.filter((r) => r.entity === "finished_good").map((r) => r.entity_id));
  const batches = new Set((await tx.batch.findMany({ where: { id: { in: [...batchIds] } }, select: { id: true } })).map((b) => b.id));
  const packages = new Set(
    (await tx.finishedGood.findMany({ where: { metrc_number: { in: [...packageIds] } }, select: { metrc_number: true } })).map(
      (p) => p.metrc_number,
    ),
  );
  // Supplies the seed created (it writes `supply.updated` events, no audit rows) that nobody has
  // changed since (no audit row by anyone).
  const events = await tx.event.findMany({ where: { type: "supply.updated", actor: DEMO_ACTOR }, select: { payload: true } });
  const seededSupplies = new Set(events.map((e) => String((e.payload as { supply_id?: unknown }).supply_id ?? "")));
  const touched = new Set(
    (await tx.auditLog.findMany({ where: { entity: "supply", entity_id: { in: [...seededSupplies] } }, select: { entity_id: true } })).map(
      (r) => r.entity_id,
    ),
  );
  const supplies = new Set(
    (await tx.supply.findMany({ where: { id: { in: [...seededSupplies].filter((id) => !touched.has(id)) } }, select: { id: true } })).map(
      (s) => s.id,
    ),
  );
  return { any: batches.size + packages.size + supplies.size > 0, batches, packages, supplies };
}

/** Deletes the demo rows and their history (count entries, stage history, holds … cascade). */
export async function removeDemoData(m: Mutation, demo: DemoData): Promise<void> {
  const batches = [...demo.batches];
  const packages = [...demo.packages];
  const supplies = [...demo.supplies];
  await m.tx.inventoryUsage.deleteMany({ where: { OR: [{ batch_id: { in: batches } }, { supply_id: { in: supplies } }] } });
  await m.tx.finishedGoodHistory.deleteMany({ where: { metrc_number: { in: packages } } });
  await m.tx.finishedGood.deleteMany({ where: { metrc_number: { in: packages } } });
  await m.tx.centrifugeOutcome.deleteMany({ where: { batch_id: { in: batches } } });
  await m.tx.batch.deleteMany({ where: { id: { in: batches } } });
  await m.tx.supply.deleteMany({ where: { id: { in: supplies } } });
  await m.tx.auditLog.deleteMany({
    where: {
      OR: [
        { entity: "batch", entity_id: { in: batches } },
        { entity: "finished_good", entity_id: { in: packages } },
        { entity: "supply", entity_id: { in: supplies } },
      ],
    },
  });
  await m.audit({
    entity: "import",
    entityId: m.ctx.traceId,
    label: "demo data",
    before: { demo_batches: batches.length, demo_packages: packages.length, demo_supplies: supplies.length },
    after: { demo_batches: 0, demo_packages: 0, demo_supplies: 0 },
  });
}
