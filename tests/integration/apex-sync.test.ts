import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as statusRoute from "@/app/api/apex-sync-status/route";
import * as triggerRoute from "@/app/api/apex-sync-trigger/route";
import * as completeRoute from "@/app/api/apex-sync-complete/route";
import * as settingsRoute from "@/app/api/settings/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

const status = (headers: Record<string, string> = p.headers.apiKey) => call(statusRoute.GET, { path: "/api/apex-sync-status", headers });

describe("Apex sync handshake", () => {
  it("status before any sync: nothing requested, nothing pending", async () => {
    const res = await status();
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ last_sync_requested: null, last_sync_completed: null, sync_pending: false });
  });

  it("trigger → pending → complete; each step stored in settings with audit and an event", async () => {
    const trigger = await call(triggerRoute.POST, { method: "POST", path: "/api/apex-sync-trigger", headers: p.headers.operator });
    expect(trigger.status).toBe(200);
    expect(trigger.json).toEqual({ success: true, last_sync_requested: expect.any(String) });
    const requestedAt = trigger.json.last_sync_requested;
    expect(new Date(requestedAt).toISOString()).toBe(requestedAt);

    const pending = await status();
    expect(pending.json).toMatchObject({
      last_sync_requested: requestedAt,
      last_sync_completed: null,
      sync_pending: true,
      requested_by: "operator",
    });
    const requested = await db.event.findMany({ where: { type: "sync.requested" } });
    expect(requested.map((e) => e.payload)).toContainEqual({ requested_at: requestedAt });

    await new Promise((r) => setTimeout(r, 5));
    const complete = await call(completeRoute.POST, {
      method: "POST",
      path: "/api/apex-sync-complete",
      headers: p.headers.apiKey,
      body: { packages_synced: 12 },
    });
    expect(complete.status).toBe(200);
    expect(complete.json).toMatchObject({ success: true, last_sync_completed: expect.any(String), packages_synced: 12 });
    const done = await status(p.headers.viewer);
    expect(done.json).toMatchObject({
      last_sync_requested: requestedAt,
      last_sync_completed: complete.json.last_sync_completed,
      sync_pending: false,
      packages_synced: 12,
      completed_by: "api-key:ApexAPI",
    });
    const completed = await db.event.findMany({ where: { type: "sync.completed" } });
    expect(completed.map((e) => e.payload)).toContainEqual({ completed_at: complete.json.last_sync_completed, packages_synced: 12 });

    const row = await db.setting.findUniqueOrThrow({ where: { key: "apex_sync" } });
    expect(row.value).toMatchObject({ last_sync_requested: requestedAt, last_sync_completed: complete.json.last_sync_completed });
    const audit = await db.auditLog.findMany({ where: { entity: "setting", entity_id: "apex_sync" } });
    expect(audit.map((a) => a.field)).toEqual(expect.arrayContaining(["last_sync_requested", "last_sync_completed"]));

    // A body is optional; the facility settings are untouched by the sync row.
    expect((await call(completeRoute.POST, { method: "POST", path: "/api/apex-sync-complete", headers: p.headers.apiKey })).status).toBe(
      200,
    );
    expect((await call(settingsRoute.GET, { path: "/api/settings", headers: p.headers.viewer })).status).toBe(200);
  });

  it("validation and roles", async () => {
    expect(
      (
        await call(completeRoute.POST, {
          method: "POST",
          path: "/api/apex-sync-complete",
          headers: p.headers.apiKey,
          body: { packages_synced: -1 },
        })
      ).status,
    ).toBe(400);
    expect((await call(triggerRoute.POST, { method: "POST", path: "/api/apex-sync-trigger", headers: p.headers.viewer })).status).toBe(403);
    expect((await status({})).status).toBe(401);
  });
});
