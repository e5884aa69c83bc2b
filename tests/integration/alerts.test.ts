import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { metrcTag } from "@/prisma/seed/batch";
import * as settingsRoute from "@/app/api/pushover/settings/route";
import * as testRoute from "@/app/api/pushover/test/route";
import * as checkRoute from "@/app/api/pushover/check-alerts/route";
import * as updateRoute from "@/app/api/inventory/update/route";
import * as dismissRoute from "@/app/api/dismiss-inventory-alert/[size]/route";

/** A local stand-in for api.pushover.net: records each form POST, answers as configured. */
const received: { path: string; form: Record<string, string> }[] = [];
let reply: { status: number; body: object } = { status: 200, body: { status: 1, request: "req-1" } };
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    received.push({ path: req.url ?? "", form: Object.fromEntries(new URLSearchParams(body)) });
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(JSON.stringify(reply.body));
  });
});

let p: Awaited<ReturnType<typeof createPrincipals>>;
const USER_KEY = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
const APP_TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";

beforeAll(async () => {
  p = await createPrincipals();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.PUSHOVER_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  delete process.env.PUSHOVER_USER_KEY;
  delete process.env.PUSHOVER_APP_TOKEN;
});
afterAll(async () => {
  delete process.env.PUSHOVER_API_URL;
  await new Promise((resolve) => server.close(resolve));
});

const getSettings = (headers: Record<string, string> = p.headers.viewer) =>
  call(settingsRoute.GET, { path: "/api/pushover/settings", headers });
const putSettings = (body: object, headers: Record<string, string> = p.headers.admin) =>
  call(settingsRoute.PUT, { method: "PUT", path: "/api/pushover/settings", headers, body });
const sendTest = (level?: string, headers: Record<string, string> = p.headers.admin) =>
  call(testRoute.POST, { method: "POST", path: `/api/pushover/test${level ? `?level=${level}` : ""}`, headers });
const check = (headers: Record<string, string> = p.headers.operator) =>
  call(checkRoute.POST, { method: "POST", path: "/api/pushover/check-alerts", headers });
const alertEvents = () => db.event.findMany({ where: { type: "inventory.alert" }, orderBy: { id: "asc" } });

describe("Pushover settings", () => {
  it("GET answers the contract's fields with defaults; session only", async () => {
    const res = await getSettings();
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      enabled: false,
      user_key: null,
      warning_grams: 500,
      critical_grams: 100,
      cooldown_hours: 24,
      has_user_key: false,
    });
    expect((await getSettings(p.headers.apiKey)).status).toBe(401);
  });

  it("PUT (admin) saves any of the fields, never echoing keys in clear", async () => {
    expect((await putSettings({ enabled: true }, p.headers.operator)).status).toBe(403);
    const res = await putSettings({ user_key: USER_KEY, app_token: APP_TOKEN, warning_grams: 400, critical_grams: 50, cooldown_hours: 2 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      enabled: false,
      user_key: "••••VRsG",
      has_user_key: true,
      has_app_token: true,
      warning_grams: 400,
      critical_grams: 50,
      cooldown_hours: 2,
    });
    expect(res.text).not.toContain(USER_KEY);
    expect(res.text).not.toContain(APP_TOKEN);
    // A form sending the masked value back keeps the key.
    await putSettings({ user_key: "••••VRsG", enabled: true });
    const stored = await db.setting.findUniqueOrThrow({ where: { key: "pushover" } });
    expect(stored.value).toMatchObject({ user_key: USER_KEY, app_token: APP_TOKEN, enabled: true });
    const audit = await db.auditLog.findMany({ where: { entity: "setting", entity_id: "pushover" } });
    expect(JSON.stringify(audit)).not.toContain(USER_KEY);
    expect((await getSettings()).json).toMatchObject({ enabled: true, user_key: "••••VRsG" });
  });

  it("refuses a cooldown under one hour, critical above warning, and bad keys", async () => {
    const short = await putSettings({ cooldown_hours: 0.5 });
    expect(short.status).toBe(400);
    expect(short.json.details.fields.cooldown_hours).toBeDefined();
    const inverted = await putSettings({ critical_grams: 900 });
    expect(inverted.status).toBe(400);
    expect(inverted.json.details.fields.critical_grams).toBeDefined();
    expect((await putSettings({ user_key: "not a key!" })).status).toBe(400);
    expect((await putSettings({})).status).toBe(400);
  });
});

describe("POST /api/pushover/test", () => {
  it("sends the form Pushover expects to the configured API URL", async () => {
    received.length = 0;
    const res = await sendTest("critical");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, message: "Test notification sent (critical)" });
    expect(received).toHaveLength(1);
    expect(received[0].path).toBe("/1/messages.json");
    expect(received[0].form).toMatchObject({ token: APP_TOKEN, user: USER_KEY, priority: "1", title: "PreRoll Tracker test (critical)" });
    expect(received[0].form.message).toContain("critical test notification");
    expect(received[0].form.message).toContain("admin");
  });

  it("is admin only, checks the level, and reports Pushover's refusal as 502", async () => {
    expect((await sendTest("info", p.headers.operator)).status).toBe(403);
    expect((await sendTest("info", p.headers.apiKey)).status).toBe(401);
    expect((await sendTest("loud")).status).toBe(400);
    reply = { status: 400, body: { status: 0, errors: ["application token is invalid"], request: "req-2" } };
    const refused = await sendTest();
    expect(refused.status).toBe(502);
    expect(refused.json).toMatchObject({
      success: false,
      code: "pushover_failed",
      error: expect.stringContaining("application token is invalid"),
    });
    reply = { status: 200, body: { status: 1, request: "req-1" } };
    expect(received.at(-1)!.form.priority).toBe("-1");
  });

  it("answers 400 without a user key", async () => {
    await putSettings({ user_key: "" });
    const res = await sendTest();
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: "Pushover user key is not configured", code: "pushover_not_configured" });
    await putSettings({ user_key: USER_KEY });
  });
});

describe("POST /api/pushover/check-alerts", () => {
  const fg = (strain: string, grams: number, extra: object = {}) =>
    db.finishedGood.create({ data: { metrc_number: metrcTag(), strain, initial_grams: 1000, current_grams: grams, ...extra } });

  beforeAll(async () => {
    await fg("Blue Dream", 200);
    await fg("blue dream ", 150); // same strain: 350 g < 400 → warning
    await fg("Runtz", 30); // < 50 → critical
    await fg("Gelato 41", 5000); // fine
    await fg("Gelato 41", 10, { status: "depleted" }); // not active: ignored
    await fg("Zkittlez", 1000, { physical_grams_override: 20 }); // effective 20 g → critical
    for (const [size, boxes] of [
      ["0_5", 2],
      ["0_7", 10],
      ["1_0", 10],
    ] as const) {
      await call(updateRoute.POST, {
        method: "POST",
        path: "/api/inventory/update",
        headers: p.headers.apiKey,
        body: { size, box_count: boxes, individual_papers: 0 },
      });
    }
  });

  it("roles: operator and above, session only", async () => {
    expect((await check(p.headers.viewer)).status).toBe(403);
    expect((await check(p.headers.apiKey)).status).toBe(401);
  });

  it("50 runs under the thresholds: one alert per strain per level within the cooldown, one event and one push each", async () => {
    received.length = 0;
    const first = await check();
    expect(first.status).toBe(200);
    expect(first.json.success).toBe(true);
    const r = first.json.result;
    expect(r).toMatchObject({ sent: 4, suppressed: 0, delivered: 4, delivery: "pushover", errors: [] });
    expect(r.alerts.map((a: { kind: string; subject: string; level: string }) => [a.kind, a.subject, a.level]).sort()).toEqual([
      ["finished_good", "Blue Dream", "warning"],
      ["finished_good", "Runtz", "critical"],
      ["finished_good", "Zkittlez", "critical"],
      ["supply", "paper:0_5", "warning"],
    ]);
    expect(r.alerts.find((a: { subject: string }) => a.subject === "Blue Dream")).toMatchObject({
      grams: 350,
      packages: 2,
      threshold: 400,
    });

    for (let i = 0; i < 49; i++) {
      const again = await check();
      expect(again.json.result).toMatchObject({ sent: 0, suppressed: 4, delivered: 0 });
    }
    const events = await alertEvents();
    expect(events).toHaveLength(4);
    expect(events.every((e) => e.actor === "operator")).toBe(true);
    expect(received).toHaveLength(4);
    expect(received.find((m) => m.form.message.startsWith("Runtz"))!.form).toMatchObject({
      priority: "1",
      user: USER_KEY,
      token: APP_TOKEN,
    });
    expect(received.find((m) => m.form.message.startsWith("Blue Dream"))!.form.priority).toBe("0");
  });

  it("an escalation from warning to critical goes through the cooldown", async () => {
    const bd = await db.finishedGood.findFirstOrThrow({ where: { strain: "Blue Dream" } });
    await db.finishedGood.update({ where: { metrc_number: bd.metrc_number }, data: { current_grams: 0 } });
    await db.finishedGood.updateMany({ where: { strain: "blue dream " }, data: { current_grams: 20 } });
    const res = await check();
    expect(res.json.result).toMatchObject({ sent: 1, suppressed: 3 });
    expect(res.json.result.alerts.find((a: { status: string }) => a.status === "sent")).toMatchObject({
      subject: "Blue Dream",
      level: "critical",
      grams: 20,
    });
    expect((await check()).json.result.sent).toBe(0);
    expect(await alertEvents()).toHaveLength(5);
  });

  it("alerts again once the cooldown has passed — once, even for concurrent checks", async () => {
    await db.event.updateMany({ where: { type: "inventory.alert" }, data: { created_at: new Date(Date.now() - 3 * 3_600_000) } });
    const runs = await Promise.all(Array.from({ length: 10 }, () => check()));
    expect(runs.every((r) => r.status === 200)).toBe(true);
    expect(runs.reduce((n, r) => n + r.json.result.sent, 0)).toBe(4);
    expect(await alertEvents()).toHaveLength(9);
  });

  it("a dismissed paper alert is not sent; with Pushover disabled alerts are still recorded", async () => {
    await db.event.updateMany({ where: { type: "inventory.alert" }, data: { created_at: new Date(Date.now() - 3 * 3_600_000) } });
    await call(dismissRoute.POST, {
      method: "POST",
      path: "/api/dismiss-inventory-alert/0_5",
      params: { size: "0_5" },
      headers: p.headers.operator,
    });
    await putSettings({ enabled: false });
    received.length = 0;
    const res = await check();
    expect(res.json.result).toMatchObject({ sent: 3, delivered: 0, delivery: "disabled" });
    expect(res.json.result.alerts.some((a: { subject: string }) => a.subject === "paper:0_5")).toBe(false);
    expect(received).toHaveLength(0);
  });
});
