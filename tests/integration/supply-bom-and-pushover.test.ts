import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { expectWireShape } from "@/tests/helpers/wire-shape";
import { buildBatch } from "@/prisma/seed/batch";
import { supplySaveResponseSchema, suppliesResponseSchema } from "@/lib/domain/supplies/inventory-response";
import { pushoverSettingsSaveResponseSchema, pushoverSettingsViewSchema } from "@/lib/domain/alerts/pushover-response";
import * as suppliesRoute from "@/app/api/supplies/route";
import * as bomRoute from "@/app/api/supplies/[id]/bom/route";
import * as batchesRoute from "@/app/api/batches/route";
import * as countsRoute from "@/app/api/batch/[id]/counts/route";
import * as pushoverRoute from "@/app/api/pushover/settings/route";
import { getPushoverSettings, updatePushoverSettings } from "@/lib/domain/alerts/pushover-settings";

/** The /inventory admin part's bill-of-materials route and the /settings page's Pushover reads. */

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

const putBom = (id: string, body: object, headers = p.headers.admin) =>
  call(bomRoute.PUT, { method: "PUT", path: `/api/supplies/${id}/bom`, params: { id }, headers, body });

describe("PUT /api/supplies/{id}/bom", () => {
  it("sets, lists, audits and consumes a supply's use per pre-roll; replaces and clears it", async () => {
    const created = await call(suppliesRoute.POST, {
      method: "POST",
      path: "/api/supplies",
      headers: p.headers.admin,
      body: { kind: "tip", name: "Glass tips", unit: "tips", units_per_box: 100, boxes: 2 },
    });
    const tipId = created.json.supply.id as string;
    expect(created.json.supply.bom).toEqual([]);

    expect((await putBom(tipId, { uses: [{ applies_to: "unit_0_5", quantity: 1 }] }, p.headers.operator)).status).toBe(403);
    const bad = await putBom(tipId, { uses: [{ applies_to: "unit_0_5", quantity: 0 }] });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fields["uses.0.quantity"]).toEqual(["Must be more than 0"]);

    const saved = await putBom(tipId, {
      uses: [
        { applies_to: "unit_1_0", quantity: 2 },
        { applies_to: "unit_0_5", quantity: 1 },
        { applies_to: "pack_6", quantity: 6 },
      ],
    });
    expect(saved.status, saved.text).toBe(200);
    expect(expectWireShape(supplySaveResponseSchema, saved.json, "PUT /api/supplies/{id}/bom").supply.bom).toEqual(
      [
        { applies_to: "unit_0_5", quantity: 1 },
        { applies_to: "unit_1_0", quantity: 2 },
        { applies_to: "pack_6", quantity: 6 },
      ].sort((a, b) => a.applies_to.localeCompare(b.applies_to)),
    );
    const list = expectWireShape(
      suppliesResponseSchema,
      (await call(suppliesRoute.GET, { path: "/api/supplies", headers: p.headers.viewer })).json,
    );
    expect(list.supplies.find((s) => s.id === tipId)?.bom).toHaveLength(3);
    const audit = await db.auditLog.findMany({ where: { entity: "supply", entity_id: tipId, field: "bom" } });
    expect(audit.map((a) => a.new)).toEqual(["pack_6×6, unit_0_5×1, unit_1_0×2"]);
    // The same list again changes nothing (no audit row, no event).
    await putBom(tipId, {
      uses: [
        { applies_to: "pack_6", quantity: 6 },
        { applies_to: "unit_0_5", quantity: 1 },
        { applies_to: "unit_1_0", quantity: 2 },
      ],
    });
    expect(await db.auditLog.count({ where: { entity: "supply", entity_id: tipId, field: "bom" } })).toBe(1);

    // Counts deduct the per-pre-roll lines: 10 × 0.5g and 5 × 1.0g use 10 + 10 tips.
    const batch = await call(batchesRoute.POST, { method: "POST", path: "/api/batches", headers: p.headers.apiKey, body: buildBatch() });
    const id = batch.json.batch.id as string;
    const counted = await call(countsRoute.POST, {
      method: "POST",
      path: `/api/batch/${id}/counts`,
      params: { id },
      headers: p.headers.apiKey,
      body: { counts_0_5: 10, counts_1_0: 5 },
    });
    expect(counted.status, counted.text).toBe(200);
    const tips = await db.supply.findUniqueOrThrow({ where: { id: tipId } });
    expect(tips.boxes * tips.units_per_box + tips.individual_units).toBe(180);

    expect((await putBom(tipId, { uses: [] })).json.supply.bom).toEqual([]);
    expect(await db.bomItem.count({ where: { supply_id: tipId } })).toBe(0);
  });

  it("refuses papers (one per pre-roll already), duplicates and a missing supply", async () => {
    const paper = await call(suppliesRoute.POST, {
      method: "POST",
      path: "/api/supplies",
      headers: p.headers.admin,
      body: { kind: "paper", size: "0_5", name: "0.5g cones", units_per_box: 1000 },
    });
    expect((await putBom(paper.json.supply.id, { uses: [{ applies_to: "unit_0_5", quantity: 1 }] })).status).toBe(400);
    const twice = {
      uses: [
        { applies_to: "unit_0_5", quantity: 1 },
        { applies_to: "unit_0_5", quantity: 2 },
      ],
    };
    expect((await putBom(paper.json.supply.id, twice)).status).toBe(400);
    expect((await putBom("00000000-0000-4000-8000-000000000000", { uses: [] })).status).toBe(404);
  });
});

describe("GET/PUT /api/pushover/settings (the /settings form)", () => {
  it("answers the view schema; a save without keys keeps the stored ones; a masked value is not stored", async () => {
    const put = (body: object) =>
      call(pushoverRoute.PUT, { method: "PUT", path: "/api/pushover/settings", headers: p.headers.admin, body });
    const first = await put({ user_key: "uKey0000000000000000000000ABCD", app_token: "aTok000000000000000000000000WXYZ" });
    expect(first.status, first.text).toBe(200);
    expectWireShape(pushoverSettingsSaveResponseSchema, first.json, "PUT /api/pushover/settings");
    expect(first.text).not.toContain("uKey0000");

    await put({ warning_grams: 800, user_key: "••••ABCD" });
    const view = expectWireShape(
      pushoverSettingsViewSchema,
      (await call(pushoverRoute.GET, { path: "/api/pushover/settings", headers: p.headers.admin })).json,
      "GET /api/pushover/settings",
    );
    expect(view).toMatchObject({ warning_grams: 800, has_user_key: true, has_app_token: true, user_key: "••••ABCD" });
    const stored = await db.setting.findUniqueOrThrow({ where: { key: "pushover" } });
    expect(stored.value).toMatchObject({ user_key: "uKey0000000000000000000000ABCD", app_token: "aTok000000000000000000000000WXYZ" });
  });

  it("two saves of different fields at once both count (read-modify-write in one transaction)", async () => {
    const put = (body: object) =>
      call(pushoverRoute.PUT, { method: "PUT", path: "/api/pushover/settings", headers: p.headers.admin, body });
    expect((await put({ enabled: false, warning_grams: 500, critical_grams: 100, cooldown_hours: 24 })).status).toBe(200);
    await getPushoverSettings(); // the settings memo is warm, as on a running server
    // Two admins (or an admin and a retry) saving at the same moment; called side by side so both
    // start before either has written.
    const ctx = (n: number) => ({ actor: `admin-${n}`, traceId: `t-pushover-${n}`, source: "web" });
    await Promise.all([
      updatePushoverSettings(ctx(1), { warning_grams: 900 }),
      updatePushoverSettings(ctx(2), { cooldown_hours: 6 }),
      updatePushoverSettings(ctx(3), { enabled: true }),
    ]);
    const stored = await db.setting.findUniqueOrThrow({ where: { key: "pushover" } });
    expect(stored.value).toMatchObject({ warning_grams: 900, cooldown_hours: 6, enabled: true });
  });
});
