import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { updateSettings } from "@/lib/domain/settings/settings";
import { createFinishedGood } from "@/lib/domain/finished-goods/create-finished-good";
import { relayAll } from "@/lib/events/relay";
import { runDeliveryBatch } from "@/lib/events/delivery/worker";
import { DEFAULT_NOTIFY_SUBSCRIBER, ensureDefaultNotifySubscriber } from "@/lib/events/subscribers/default-notify";
import { Scheduler } from "@/lib/jobs/scheduler";
import { stockAlertsJob } from "@/lib/jobs/registry";
import { paperSupplies } from "@/prisma/seed/supply";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as deductRoute from "@/app/api/finished-goods/[metrc]/deduct/route";
import * as checkRoute from "@/app/api/pushover/check-alerts/route";

/**
 * Stock alerts end to end, as production runs them: deducts through the real route (the web
 * process) → the worker's scheduler sees the inventory events and runs the `stock-alerts` job →
 * `inventory.alert` events → relay → the default notify subscriber's delivery → a local stand-in
 * for api.pushover.net. The phone must get one alert per strain per level within the cooldown.
 */

const received: { form: Record<string, string> }[] = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    received.push({ form: Object.fromEntries(new URLSearchParams(body)) });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: 1, request: `req-${received.length}` }));
  });
});

const admin = systemContext("admin", "web");
const STRAIN = "Blue Dream";
const COOLDOWN_HOURS = 2;
let p: Awaited<ReturnType<typeof createPrincipals>>;
let metrc: string;
let now = new Date();
const scheduler = new Scheduler({ ownerId: "stock-worker", jobs: [stockAlertsJob], now: () => now });

const pushesFor = (strain: string) => received.filter((m) => m.form.message.startsWith(`${strain}:`));
const alertEvents = async (strain: string) =>
  (await db.event.findMany({ where: { type: "inventory.alert" }, orderBy: { id: "asc" } })).filter(
    (e) => (e.payload as { subject: string }).subject === strain,
  );
const deduct = (grams: number) =>
  call(deductRoute.POST, {
    method: "POST",
    path: `/api/finished-goods/${metrc}/deduct`,
    params: { metrc },
    headers: p.headers.apiKey,
    body: { grams, reason: "sale" },
  });

/** A few seconds of the worker: scheduler ticks (each second of its clock), then relay + deliveries. */
async function workerSeconds(seconds = 4) {
  for (let i = 0; i < seconds; i++) {
    await scheduler.tick();
    await scheduler.settle();
    now = new Date(now.getTime() + 1000);
  }
  await relayAll();
  await runDeliveryBatch(db, { workerId: "delivery-worker" });
}

beforeAll(async () => {
  p = await createPrincipals();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.PUSHOVER_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await updateSettings(admin, {
    pushover: {
      enabled: true,
      user_key: "u".repeat(30),
      app_token: "a".repeat(30),
      warning_grams: 500,
      critical_grams: 100,
      cooldown_hours: COOLDOWN_HOURS,
    },
  });
  // Plenty of papers: only finished goods are low in this file.
  for (const s of paperSupplies) await db.supply.create({ data: { ...s, boxes: 100 } });
  expect(await ensureDefaultNotifySubscriber(admin)).toMatchObject({ created: true });
  metrc = (await createFinishedGood(admin, buildFinishedGood({ strain: STRAIN, grams: 900 }))).metrc_number;
  await createFinishedGood(admin, buildFinishedGood({ strain: "Gelato 41", grams: 5000 }));
  await workerSeconds(); // the job's first run at start: nothing is low
  expect(received).toHaveLength(0);
});
afterAll(async () => {
  delete process.env.PUSHOVER_API_URL;
  await new Promise((resolve) => server.close(resolve));
});

describe("stock alerts through the notifier", () => {
  it("50 deducts under the threshold: the job runs after the changes and the phone gets ONE alert for the strain", async () => {
    // 900 g − 50 × 10 g = 400 g: below the 500 g warning from the 41st deduct on. The worker keeps
    // running in between, as it would.
    for (let i = 1; i <= 50; i++) {
      expect((await deduct(10)).status).toBe(200);
      if (i % 5 === 0) await workerSeconds();
    }
    await workerSeconds();
    expect(pushesFor(STRAIN)).toHaveLength(1);
    expect(pushesFor(STRAIN)[0].form).toMatchObject({
      title: "PreRoll Tracker: low stock",
      priority: "0",
      user: "u".repeat(30),
      token: "a".repeat(30),
    });
    // Sent by the first run after the crossing (deduct 45, the worker's next look), not at the end.
    expect(pushesFor(STRAIN)[0].form.message).toContain("450 g left");
    expect(await alertEvents(STRAIN)).toHaveLength(1);
    expect(received).toHaveLength(1); // and nothing about the healthy strain

    // The job ran because of the deducts (not only at start), more than once while stock kept falling.
    const eventRuns = (await db.event.findMany({ where: { type: "job.started" } })).filter(
      (e) => (e.payload as { trigger: string }).trigger === "event",
    );
    expect(eventRuns.length).toBeGreaterThanOrEqual(5);

    // Within the cooldown neither the hourly run nor the manual check sends it again.
    now = new Date(now.getTime() + 3_600_000);
    await workerSeconds();
    const manual = await call(checkRoute.POST, { method: "POST", path: "/api/pushover/check-alerts", headers: p.headers.operator });
    expect(manual.json.result).toMatchObject({ sent: 0, suppressed: 1, delivered: 0 });
    await workerSeconds();
    expect(pushesFor(STRAIN)).toHaveLength(1);
    const delivery = await db.delivery.findFirstOrThrow({
      where: { subscriber: { name: DEFAULT_NOTIFY_SUBSCRIBER } },
      include: { attempt_log: true },
    });
    expect(delivery).toMatchObject({ status: "completed", attempts: 1 });
  });

  it("after the cooldown, a further drop alerts again — once", async () => {
    // The cooldown's state is the alert events' time: move them past the window.
    const past = new Date(Date.now() - (COOLDOWN_HOURS * 60 + 1) * 60_000);
    await db.event.updateMany({ where: { type: "inventory.alert" }, data: { created_at: past } });
    expect((await deduct(10)).status).toBe(200);
    await workerSeconds();
    expect(pushesFor(STRAIN)).toHaveLength(2);
    expect(pushesFor(STRAIN)[1].form.message).toContain("390 g left");
    expect((await deduct(10)).status).toBe(200);
    await workerSeconds();
    expect(pushesFor(STRAIN)).toHaveLength(2);
  });

  it("an escalation from warning to critical is sent at once, within the cooldown, and only once", async () => {
    expect((await deduct(300)).status).toBe(200); // 80 g < 100 g
    await workerSeconds();
    expect(pushesFor(STRAIN)).toHaveLength(3);
    expect(pushesFor(STRAIN)[2].form).toMatchObject({ title: "PreRoll Tracker: CRITICAL low stock", priority: "1" });
    expect((await deduct(10)).status).toBe(200);
    await workerSeconds();
    const manual = await call(checkRoute.POST, { method: "POST", path: "/api/pushover/check-alerts", headers: p.headers.operator });
    expect(manual.json.result.sent).toBe(0);
    expect(pushesFor(STRAIN)).toHaveLength(3);
    expect((await alertEvents(STRAIN)).map((e) => (e.payload as { level: string }).level)).toEqual(["warning", "warning", "critical"]);
  });

  it("the manual check pushes a new alert itself, through the same subscriber, and the worker does not send it again", async () => {
    const other = await createFinishedGood(admin, buildFinishedGood({ strain: "Runtz", grams: 50 }));
    const res = await call(checkRoute.POST, { method: "POST", path: "/api/pushover/check-alerts", headers: p.headers.operator });
    expect(res.json.result).toMatchObject({ sent: 1, delivered: 1, queued: 0, delivery: "pushover", errors: [] });
    expect(pushesFor("Runtz")).toHaveLength(1);
    await workerSeconds();
    expect(pushesFor("Runtz")).toHaveLength(1);
    expect(other.metrc_number).toBeTruthy();
  });

  it("the default notifier is created once and never re-created after an admin deleted it", async () => {
    expect(await ensureDefaultNotifySubscriber(admin)).toMatchObject({ created: false });
    expect(await db.subscriber.count({ where: { name: DEFAULT_NOTIFY_SUBSCRIBER } })).toBe(1);
    await db.subscriber.delete({ where: { name: DEFAULT_NOTIFY_SUBSCRIBER } });
    expect(await ensureDefaultNotifySubscriber(admin)).toEqual({ created: false, subscriber_id: null });
    expect(await db.subscriber.count({ where: { name: DEFAULT_NOTIFY_SUBSCRIBER } })).toBe(0);
  });
});
