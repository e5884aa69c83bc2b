import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as settingsRoute from "@/app/api/settings/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

describe("settings", () => {
  it("GET answers the contract's keys with defaults before anything is saved", async () => {
    const res = await call(settingsRoute.GET, { path: "/api/settings", headers: p.headers.apiKey });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      allocation: [40, 30, 30],
      tare_weights: { "0_5": 0.12, "0_7": 0.15, "1_0": 0.18 },
      test_alert_hours: 48,
      work_schedule: { start_hour: 8, end_hour: 17, work_days: [0, 1, 2, 3, 4] },
    });
  });

  it("an admin updates settings (audited, one event per key); invalid values are refused whole", async () => {
    const bad = await call(settingsRoute.PUT, {
      method: "PUT",
      path: "/api/settings",
      headers: p.headers.admin,
      body: { allocation: [50, 30, 30], test_alert_hours: 24 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fields.allocation).toBeDefined();
    const ok = await call(settingsRoute.PUT, {
      method: "PUT",
      path: "/api/settings",
      headers: p.headers.admin,
      body: { allocation: [50, 25, 25], test_alert_hours: 24 },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.settings).toMatchObject({ allocation: [50, 25, 25], test_alert_hours: 24 });
    const after = await call(settingsRoute.GET, { path: "/api/settings", headers: p.headers.viewer });
    expect(after.json.allocation).toEqual([50, 25, 25]);
    const audit = await db.auditLog.findFirst({ where: { entity: "setting", entity_id: "allocation" } });
    expect(audit?.old).toBe(JSON.stringify([40, 30, 30]));
    const events = await db.event.findMany({ where: { type: "setting.updated" } });
    expect(events.map((e) => (e.payload as { key: string }).key)).toEqual(expect.arrayContaining(["allocation", "test_alert_hours"]));
  });

  it("never reveals the Pushover user key", async () => {
    await call(settingsRoute.PUT, {
      method: "PUT",
      path: "/api/settings",
      headers: p.headers.admin,
      body: {
        pushover: {
          enabled: true,
          user_key: "uQiRzpo4DXghDmr9QzzfQu27cmVRsG",
          app_token: "azGDORePK8gMaC0QOYAMyEEuzJnyUi",
          warning_grams: 500,
          critical_grams: 100,
          cooldown_hours: 24,
        },
      },
    });
    const res = await call(settingsRoute.GET, { path: "/api/settings", headers: p.headers.admin });
    expect(res.text).not.toContain("uQiRzpo4DXghDmr9QzzfQu27cmVRsG");
    expect(res.text).not.toContain("azGDORePK8gMaC0QOYAMyEEuzJnyUi");
    expect(res.json.pushover.user_key).toBe("••••VRsG");
    const audit = await db.auditLog.findMany({ where: { entity: "setting", entity_id: "pushover" } });
    expect(JSON.stringify(audit)).not.toContain("uQiRzpo4DXghDmr9QzzfQu27cmVRsG");
  });

  it("PUT /api/settings with the masked keys GET returned keeps the real ones (a mask means keep)", async () => {
    const put = (body: object) => call(settingsRoute.PUT, { method: "PUT", path: "/api/settings", headers: p.headers.admin, body });
    const saved = await put({
      pushover: {
        enabled: true,
        user_key: "uReal00000000000000000000001234",
        app_token: "aReal00000000000000000000005678",
        warning_grams: 500,
        critical_grams: 100,
        cooldown_hours: 24,
      },
    });
    expect(saved.status, saved.text).toBe(200);
    // The settings page's round trip: GET (masked), change one number, PUT the whole object back.
    const shown = (await call(settingsRoute.GET, { path: "/api/settings", headers: p.headers.admin })).json.pushover;
    expect(shown.user_key).toBe("••••1234");
    const again = await put({ pushover: { ...shown, warning_grams: 650 } });
    expect(again.status, again.text).toBe(200);
    expect(again.json.settings.pushover).toMatchObject({ user_key: "••••1234", app_token: "••••5678", warning_grams: 650 });
    const stored = await db.setting.findUniqueOrThrow({ where: { key: "pushover" } });
    expect(stored.value).toMatchObject({
      user_key: "uReal00000000000000000000001234",
      app_token: "aReal00000000000000000000005678",
      warning_grams: 650,
    });
    // An explicit null still clears a key.
    await put({ pushover: { ...shown, warning_grams: 650, app_token: null } });
    expect((await db.setting.findUniqueOrThrow({ where: { key: "pushover" } })).value).toMatchObject({
      user_key: "uReal00000000000000000000001234",
      app_token: null,
    });
  });
});
