import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch } from "@/prisma/seed/batch";
import * as suppliesRoute from "@/app/api/supplies/route";
import * as bomRoute from "@/app/api/supplies/[id]/bom/route";
import * as batchesRoute from "@/app/api/batches/route";
import * as batchRoute from "@/app/api/batches/[id]/route";

/**
 * SPEC §2 bill of materials: "counts and packing deduct supplies in the same transaction". Packs
 * are made when the batch's bagging counters (packaged_singles / _6_packs / _12_packs) rise; the
 * supplies whose BOM names that pack (`pack_1`, `pack_6`, `pack_12`) are consumed then.
 */

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

async function supply(kind: string, name: string, units_per_box: number, boxes: number, low_threshold_boxes = 1) {
  const res = await call(suppliesRoute.POST, {
    method: "POST",
    path: "/api/supplies",
    headers: p.headers.admin,
    body: { kind, name, unit: "pcs", units_per_box, boxes, low_threshold_boxes },
  });
  expect(res.status, res.text).toBeLessThan(300);
  return res.json.supply.id as string;
}
async function bom(id: string, uses: { applies_to: string; quantity: number }[]) {
  const res = await call(bomRoute.PUT, {
    method: "PUT",
    path: `/api/supplies/${id}/bom`,
    params: { id },
    headers: p.headers.admin,
    body: { uses },
  });
  expect(res.status, res.text).toBe(200);
}
async function newBatch() {
  const res = await call(batchesRoute.POST, { method: "POST", path: "/api/batches", headers: p.headers.apiKey, body: buildBatch() });
  expect(res.status, res.text).toBe(201);
  return res.json.batch.id as string;
}
function patch(id: string, body: object) {
  return call(batchRoute.PATCH, { method: "PATCH", path: `/api/batches/${id}`, params: { id }, headers: p.headers.apiKey, body });
}
const stock = async (id: string) => {
  const s = await db.supply.findUniqueOrThrow({ where: { id } });
  return s.boxes * s.units_per_box + s.individual_units;
};

describe("packing consumes the per-pack bill of materials", () => {
  it("raising the bagging counters deducts boxes and labels in the same transaction, with usage rows", async () => {
    const box6 = await supply("box_6", "6-pack magnetic box", 50, 4); // 200
    const label = await supply("label", "Pack label", 100, 5); // 500
    await bom(box6, [{ applies_to: "pack_6", quantity: 1 }]);
    await bom(label, [
      { applies_to: "pack_1", quantity: 1 },
      { applies_to: "pack_6", quantity: 1 },
      { applies_to: "pack_12", quantity: 2 },
    ]);
    const id = await newBatch();

    const res = await patch(id, { packaged_6_packs: 10, packaged_12_packs: 3, packaged_singles: 5 });
    expect(res.status, res.text).toBe(200);
    expect(await stock(box6)).toBe(190);
    expect(await stock(label)).toBe(500 - (5 + 10 + 6));
    const usage = await db.inventoryUsage.findMany({ where: { batch_id: id, reason: "bom" } });
    expect(usage.map((u) => u.units_used).sort((a, b) => a - b)).toEqual([10, 21]);

    // A rise consumes only the new packs; a correction down returns nothing and consumes nothing.
    expect((await patch(id, { packaged_6_packs: 12 })).status).toBe(200);
    expect(await stock(box6)).toBe(188);
    expect((await patch(id, { packaged_6_packs: 11 })).status).toBe(200);
    expect(await stock(box6)).toBe(188);
  });

  it("a short supply does not block packing: stock stops at 0 and supply.low_stock fires", async () => {
    const bags = await supply("bag", "Single bags", 10, 1, 1); // 10, threshold 1 box
    await bom(bags, [{ applies_to: "pack_1", quantity: 1 }]);
    const id = await newBatch();
    const res = await patch(id, { packaged_singles: 25 });
    expect(res.status, res.text).toBe(200);
    expect(await stock(bags)).toBe(0);
    const alerts = await db.event.findMany({ where: { type: "supply.low_stock" } });
    expect(alerts.some((e) => JSON.stringify(e.payload).includes(bags))).toBe(true);
  });
});
