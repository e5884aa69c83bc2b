import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import { otherSupplies, paperSupplies } from "@/prisma/seed/supply";
import * as batchesRoute from "@/app/api/batches/route";
import * as countsRoute from "@/app/api/batch/[id]/counts/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
const supplyIds: Record<string, string> = {};
beforeAll(async () => {
  p = await createPrincipals();
  for (const s of paperSupplies) supplyIds[s.size] = (await db.supply.create({ data: { ...s, boxes: 10, individual_units: 0 } })).id;
  const tips = await db.supply.create({ data: { ...otherSupplies[0], boxes: 1, individual_units: 0 } });
  supplyIds.tip = tips.id;
  for (const size of ["0_5", "0_7", "1_0"])
    await db.bomItem.create({ data: { supply_id: tips.id, applies_to: `unit_${size}`, quantity: 1 } });
});

async function newBatch(overrides = {}) {
  const res = await call(batchesRoute.POST, {
    method: "POST",
    path: "/api/batches",
    headers: p.headers.apiKey,
    body: buildBatch(overrides),
  });
  return res.json.batch.id as string;
}
const counts = (id: string, body: object) =>
  call(countsRoute.POST, { method: "POST", path: `/api/batch/${id}/counts`, params: { id }, headers: p.headers.apiKey, body });
const stock = async (key: string) => {
  const s = await db.supply.findUniqueOrThrow({ where: { id: supplyIds[key] } });
  return s.boxes * s.units_per_box + s.individual_units;
};

describe("rising counts consume papers", () => {
  it("consumes papers of the size and tips per the bill of materials, with usage rows", async () => {
    const id = await newBatch();
    const paperBefore = await stock("0_5");
    const tipsBefore = await stock("tip");
    await counts(id, { counts_0_5: 120, counts_1_0: 30 });
    expect(await stock("0_5")).toBe(paperBefore - 120);
    expect(await stock("tip")).toBe(tipsBefore - 150);
    const usage = await db.inventoryUsage.findMany({ where: { batch_id: id, reason: "counts" } });
    expect(usage.map((u) => [u.size, u.units_used]).sort()).toEqual([
      ["0_5", 120],
      ["1_0", 30],
    ]);
  });

  it("a count corrected down and back up does not consume twice", async () => {
    const id = await newBatch();
    const before = await stock("0_7");
    await counts(id, { counts_0_7: 100 });
    await counts(id, { counts_0_7: 90 });
    await counts(id, { counts_0_7: 110 });
    expect(await stock("0_7")).toBe(before - 110);
  });

  it("announces low stock once, when a change crosses the threshold", async () => {
    const id = await newBatch();
    // 0_7 papers: 800 per box, threshold 5 boxes = 4000 papers.
    const current = await stock("0_7");
    await counts(id, { counts_0_7: current - 4001 });
    await counts(id, { counts_0_7: current - 4001 + 2 });
    await counts(id, { counts_0_7: current - 4001 + 3 });
    const low = await db.event.findMany({ where: { type: "supply.low_stock" } });
    expect(low.filter((e) => (e.payload as { size: string }).size === "0_7")).toHaveLength(1);
  });

  it("uses the batch's paper size override", async () => {
    const id = await newBatch({ paper_size_override: "1_0" });
    const before05 = await stock("0_5");
    const before10 = await stock("1_0");
    await counts(id, { counts_0_5: 40 });
    expect(await stock("0_5")).toBe(before05);
    expect(await stock("1_0")).toBe(before10 - 40);
  });
});
