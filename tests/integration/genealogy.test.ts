import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { parseEventPayload } from "@/lib/events/catalogue";
import {
  batchInputChangeResponseSchema,
  batchInputsResponseSchema,
  packageRecallResponseSchema,
  sourceRecallResponseSchema,
} from "@/lib/domain/genealogy/genealogy-response";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildBatch, metrcTag } from "@/prisma/seed/batch";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import * as batchesRoute from "@/app/api/batches/route";
import * as archiveRoute from "@/app/api/archive/[id]/route";
import * as finishedGoodsRoute from "@/app/api/finished-goods/route";
import * as deductRoute from "@/app/api/finished-goods/[metrc]/deduct/route";
import * as holdRoute from "@/app/api/wholesale/hold/route";
import * as inputsRoute from "@/app/api/batches/[id]/inputs/route";
import * as inputRoute from "@/app/api/batches/[id]/inputs/[inputId]/route";
import * as sourceRecallRoute from "@/app/api/genealogy/source/[metrc]/route";
import * as packageRecallRoute from "@/app/api/genealogy/package/[metrc]/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

async function newBatch(input_grams = 1000) {
  const res = await call(batchesRoute.POST, {
    method: "POST",
    path: "/api/batches",
    headers: p.headers.apiKey,
    body: buildBatch({ input_grams }),
  });
  expect(res.status).toBe(201);
  return res.json.batch as { id: string; strain: string };
}

function addInput(batchId: string, body: unknown, headers = p.headers.operator) {
  return call(inputsRoute.POST, { method: "POST", path: `/api/batches/${batchId}/inputs`, params: { id: batchId }, headers, body });
}
function listInputs(batchId: string, headers = p.headers.viewer) {
  return call(inputsRoute.GET, { path: `/api/batches/${batchId}/inputs`, params: { id: batchId }, headers });
}
function changeInput(batchId: string, inputId: number | string, body: unknown, headers = p.headers.operator) {
  const path = `/api/batches/${batchId}/inputs/${inputId}`;
  return call(inputRoute.PATCH, { method: "PATCH", path, params: { id: batchId, inputId: String(inputId) }, headers, body });
}
function removeInput(batchId: string, inputId: number | string, headers = p.headers.operator) {
  const path = `/api/batches/${batchId}/inputs/${inputId}`;
  return call(inputRoute.DELETE, { method: "DELETE", path, params: { id: batchId, inputId: String(inputId) }, headers });
}
async function newPackage(batchId: string, grams: number) {
  const body = { ...buildFinishedGood({ grams, source_batch_id: batchId }) };
  const res = await call(finishedGoodsRoute.POST, { method: "POST", path: "/api/finished-goods/", headers: p.headers.apiKey, body });
  expect(res.status).toBe(201);
  return body.metrc_number;
}
async function recallSource(metrc: string) {
  const res = await call(sourceRecallRoute.GET, { path: `/api/genealogy/source/${metrc}`, params: { metrc }, headers: p.headers.viewer });
  expect(res.status).toBe(200);
  return sourceRecallResponseSchema.parse(res.json);
}
async function recallPackage(metrc: string) {
  const res = await call(packageRecallRoute.GET, { path: `/api/genealogy/package/${metrc}`, params: { metrc }, headers: p.headers.apiKey });
  expect(res.status).toBe(200);
  return packageRecallResponseSchema.parse(res.json);
}

describe("recall of a source package split across three batches", () => {
  it("returns exactly the six packages made from them, with their grams; a deduct shows in the recall", async () => {
    const source = metrcTag();
    const otherSource = metrcTag();
    const batches = [await newBatch(600), await newBatch(600), await newBatch(600)];
    const made: Record<string, number> = {};
    for (const [i, b] of batches.entries()) {
      expect((await addInput(b.id, { source_metrc_number: source, grams: 200 + i * 50 })).status).toBe(201);
      expect((await addInput(b.id, { source_metrc_number: otherSource, grams: 100 })).status).toBe(201);
      made[await newPackage(b.id, 100 + i)] = 100 + i;
      made[await newPackage(b.id, 150 + i)] = 150 + i;
    }
    // Noise: a batch from another source, with its own package, is not recalled.
    const unrelated = await newBatch();
    await addInput(unrelated.id, { source_metrc_number: metrcTag(), grams: 500 });
    await newPackage(unrelated.id, 300);

    const recall = await recallSource(source.toLowerCase()); // tags are matched upper-case
    expect(recall.metrc_number).toBe(source);
    expect(recall.batches.map((b) => [b.batch_id, b.source_grams])).toEqual(batches.map((b, i) => [b.id, 200 + i * 50]));
    expect(recall.source_grams_total).toBe(750);
    expect(Object.fromEntries(recall.packages.map((pkg) => [pkg.metrc_number, pkg.current_grams]))).toEqual(made);
    expect(recall.packages).toHaveLength(6);
    for (const pkg of recall.packages) expect(pkg).toMatchObject({ status: "active", initial_grams: made[pkg.metrc_number] });

    // Deduct from one, hold units of another: the recall shows the current state.
    const [first, second] = Object.keys(made);
    const deduct = await call(deductRoute.POST, {
      method: "POST",
      path: `/api/finished-goods/${first}/deduct`,
      params: { metrc: first },
      headers: p.headers.apiKey,
      body: { grams: 40 },
    });
    expect(deduct.status).toBe(200);
    const hold = await call(holdRoute.POST, {
      method: "POST",
      path: "/api/wholesale/hold",
      headers: p.headers.operator,
      body: { metrc_number: second, sku_name: "magnetic_box_6pk", quantity: 2 },
    });
    expect(hold.status).toBe(200);
    const after = await recallSource(source);
    const byTag = Object.fromEntries(after.packages.map((pkg) => [pkg.metrc_number, pkg]));
    expect(byTag[first].current_grams).toBe(made[first] - 40);
    expect(byTag[second]).toMatchObject({ held_units: 2, holds: [{ sku_name: "6-Pack Magnetic Box", quantity: 2 }] });
    expect(after.packages).toHaveLength(6);
  });

  it("package → its batch, the batch's source packages and the batch's other packages", async () => {
    const [s1, s2] = [metrcTag(), metrcTag()];
    const batch = await newBatch(500);
    await addInput(batch.id, { source_metrc_number: s1, grams: 300 });
    await addInput(batch.id, { source_metrc_number: s2, grams: 200, notes: "trim" });
    const a = await newPackage(batch.id, 120);
    const b = await newPackage(batch.id, 130);
    const recall = await recallPackage(a);
    expect(recall.package).toMatchObject({ metrc_number: a, current_grams: 120, batch_id: batch.id });
    expect(recall.batch).toMatchObject({ batch_id: batch.id, strain: batch.strain, input_grams: 500 });
    expect(recall.sources.map((s) => [s.source_metrc_number, s.grams, s.notes])).toEqual([
      [s1, 300, null],
      [s2, 200, "trim"],
    ]);
    expect(recall.packages.map((pkg) => pkg.metrc_number).sort()).toEqual([a, b].sort());
  });

  it("an unknown tag (source or package) is 200 with empty lists, not an error", async () => {
    const tag = metrcTag();
    expect(await recallSource(tag)).toEqual({ success: true, metrc_number: tag, batches: [], packages: [], source_grams_total: 0 });
    expect(await recallPackage(tag)).toEqual({ success: true, metrc_number: tag, package: null, batch: null, sources: [], packages: [] });
    // Not even a well-formed tag: still nothing found.
    expect((await recallSource("not-a-tag")).packages).toEqual([]);
  });
});

describe("batch inputs", () => {
  it("add, change, remove: audited, one event each, the sum checked against input_grams as a warning", async () => {
    const batch = await newBatch(1000);
    const tag = metrcTag();
    const added = await addInput(batch.id, { source_metrc_number: tag.toLowerCase(), grams: 600, notes: "Flower A" });
    expect(added.status).toBe(201);
    const a = batchInputChangeResponseSchema.parse(added.json);
    expect(a.input).toMatchObject({ batch_id: batch.id, source_metrc_number: tag, grams: 600, notes: "Flower A", actor: "operator" });
    expect(a).toMatchObject({ input_grams: 1000, inputs_total_grams: 600 });
    expect(a.input_grams_warning).toMatch(/400 g less than the batch's input of 1000 g/);

    const second = batchInputChangeResponseSchema.parse((await addInput(batch.id, { source_metrc_number: metrcTag(), grams: 400 })).json);
    expect(second).toMatchObject({ inputs_total_grams: 1000, input_grams_warning: null });

    const changed = await changeInput(batch.id, a.input.id, { grams: 700 });
    expect(changed.status).toBe(200);
    expect(batchInputChangeResponseSchema.parse(changed.json)).toMatchObject({ input: { grams: 700 }, inputs_total_grams: 1100 });
    expect(changed.json.input_grams_warning).toMatch(/100 g more than/);

    const list = batchInputsResponseSchema.parse((await listInputs(batch.id)).json);
    expect(list.inputs.map((i) => [i.source_metrc_number, i.grams])).toEqual([
      [tag, 700],
      [second.input.source_metrc_number, 400],
    ]);
    expect(list).toMatchObject({ batch_id: batch.id, inputs_total_grams: 1100, input_grams_warning: expect.stringMatching(/more than/) });

    const removed = await removeInput(batch.id, second.input.id);
    expect(removed.status).toBe(200);
    expect(removed.json).toMatchObject({ input: { id: second.input.id }, inputs_total_grams: 700 });
    expect(await db.batchInput.count({ where: { batch_id: batch.id } })).toBe(1);

    // Audit rows per input.
    const audit = await db.auditLog.findMany({ where: { entity: "batch_input", entity_id: String(a.input.id) }, orderBy: { id: "asc" } });
    expect(audit.map((r) => [r.field, r.old, r.new])).toEqual([
      ["batch_id", null, batch.id],
      ["source_metrc_number", null, tag],
      ["grams", null, "600"],
      ["notes", null, "Flower A"],
      ["grams", "600", "700"],
    ]);
    expect(audit.every((r) => r.actor === "operator" && r.label === batch.strain)).toBe(true);
    expect(await db.auditLog.count({ where: { entity: "batch_input", entity_id: String(second.input.id), field: "deleted" } })).toBe(1);

    // Events, each valid against the catalogue.
    const events = await db.event.findMany({ where: { type: { startsWith: "batch.input_" } }, orderBy: { id: "asc" } });
    const mine = events.filter((e) => (e.payload as { batch_id?: string }).batch_id === batch.id);
    expect(mine.map((e) => e.type)).toEqual(["batch.input_added", "batch.input_added", "batch.input_changed", "batch.input_removed"]);
    for (const e of mine) parseEventPayload(e.type as "batch.input_added", e.payload);
    expect(mine[0].payload).toEqual({
      batch_id: batch.id,
      strain: batch.strain,
      input_id: a.input.id,
      source_metrc_number: tag,
      grams: 600,
      inputs_total_grams: 600,
    });
    expect(mine[2].payload).toMatchObject({ previous_grams: 600, grams: 700, changed_fields: ["grams"], inputs_total_grams: 1100 });
    expect(mine[3].payload).toMatchObject({ input_id: second.input.id, grams: 400, inputs_total_grams: 700 });
  });

  it("bad input: malformed tag or grams ≤ 0 → 400 with field details, nothing written", async () => {
    const batch = await newBatch();
    const cases: [unknown, string][] = [
      [{ source_metrc_number: "1A4-SHORT", grams: 10 }, "source_metrc_number"],
      [{ source_metrc_number: "", grams: 10 }, "source_metrc_number"],
      [{ grams: 10 }, "source_metrc_number"],
      [{ source_metrc_number: metrcTag(), grams: 0 }, "grams"],
      [{ source_metrc_number: metrcTag(), grams: -5 }, "grams"],
      [{ source_metrc_number: metrcTag(), grams: "10" }, "grams"],
      [{ source_metrc_number: metrcTag() }, "grams"],
      [{ source_metrc_number: metrcTag(), grams: 10, colour: "red" }, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await addInput(batch.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.code).toBe("validation_failed");
      expect(Object.keys(res.json.details.fields), JSON.stringify(body)).toContain(field);
    }
    expect(await db.batchInput.count({ where: { batch_id: batch.id } })).toBe(0);

    const ok = await addInput(batch.id, { source_metrc_number: metrcTag(), grams: 10 });
    const id = ok.json.input.id as number;
    for (const body of [{ grams: 0 }, { grams: -1 }, { source_metrc_number: "nope" }, {}]) {
      const res = await changeInput(batch.id, id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.details.fields).toBeDefined();
    }
    expect((await db.batchInput.findUniqueOrThrow({ where: { id } })).grams).toBe(10);
    // Only the creation was audited (batch_id, source_metrc_number, grams).
    expect(await db.auditLog.count({ where: { entity: "batch_input", entity_id: String(id) } })).toBe(3);
  });

  it("unknown batch or input → 404; an input of another batch is not found", async () => {
    const batch = await newBatch();
    const other = await newBatch();
    const ok = await addInput(other.id, { source_metrc_number: metrcTag(), grams: 10 });
    expect((await addInput("no-such-batch", { source_metrc_number: metrcTag(), grams: 10 })).status).toBe(404);
    expect((await listInputs("no-such-batch")).status).toBe(404);
    expect((await changeInput(batch.id, ok.json.input.id, { grams: 5 })).status).toBe(404);
    expect((await removeInput(batch.id, ok.json.input.id)).json.code).toBe("input_not_found");
    expect((await removeInput(batch.id, "abc")).status).toBe(400);
    expect(await db.batchInput.count({ where: { batch_id: other.id } })).toBe(1);
  });

  it("an archived batch's inputs cannot be added, changed or removed: 409, nothing written", async () => {
    const batch = await newBatch();
    const ok = await addInput(batch.id, { source_metrc_number: metrcTag(), grams: 10 });
    const id = ok.json.input.id as number;
    const archived = await call(archiveRoute.POST, {
      method: "POST",
      path: `/api/archive/${batch.id}`,
      params: { id: batch.id },
      headers: p.headers.operator,
      body: { archive: true },
    });
    expect(archived.status).toBe(200);
    const eventsBefore = await db.event.count();
    for (const res of [
      await changeInput(batch.id, id, { grams: 20 }),
      await removeInput(batch.id, id),
      await addInput(batch.id, { source_metrc_number: metrcTag(), grams: 5 }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.json).toMatchObject({ code: "batch_archived", error: expect.any(String) });
    }
    expect(await db.batchInput.findMany({ where: { batch_id: batch.id } })).toMatchObject([{ id, grams: 10 }]);
    expect(await db.event.count()).toBe(eventsBefore);
    // Reading stays allowed.
    expect((await listInputs(batch.id)).json).toMatchObject({ archived: true, inputs: [{ id }] });
  });

  it("viewers read but do not write", async () => {
    const batch = await newBatch();
    expect((await addInput(batch.id, { source_metrc_number: metrcTag(), grams: 10 }, p.headers.viewer)).status).toBe(403);
    expect((await listInputs(batch.id, p.headers.viewer)).status).toBe(200);
  });
});
