import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { updateSettings } from "@/lib/domain/settings/settings";
import { relayAll } from "@/lib/events/relay";
import { runDeliveryBatch } from "@/lib/events/delivery/worker";
import { ensureDefaultNotifySubscriber } from "@/lib/events/subscribers/default-notify";
import { buildBatch } from "@/prisma/seed/batch";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import * as batchesRoute from "@/app/api/batches/route";
import * as stageRoute from "@/app/api/batches/[id]/stage/route";
import * as countsRoute from "@/app/api/batch/[id]/counts/route";
import * as dataRoute from "@/app/api/data/route";
import * as archiveRoute from "@/app/api/archive/route";

/**
 * Mass balance end to end: the grams entered with "Move to Done" (the stage route), the
 * `mass_balance` fields of GET /api/data, and the `batch.mass_balance_gap` event + its push
 * through the default notifier to a local stand-in for api.pushover.net.
 */

const pushes: Record<string, string>[] = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    pushes.push(Object.fromEntries(new URLSearchParams(body)));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: 1, request: `req-${pushes.length}` }));
  });
});

const admin = systemContext("admin", "web");
const COOLDOWN_HOURS = 6;
let p: Awaited<ReturnType<typeof createPrincipals>>;

beforeAll(async () => {
  p = await createPrincipals();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.PUSHOVER_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await updateSettings(admin, {
    mass_balance_tolerance_percent: 2,
    pushover: {
      enabled: true,
      user_key: "u".repeat(30),
      app_token: "a".repeat(30),
      warning_grams: 0,
      critical_grams: 0,
      cooldown_hours: COOLDOWN_HOURS,
    },
  });
  await ensureDefaultNotifySubscriber(admin);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A batch at Bagging with 1000 g in and 1500 × 0.5 g + 100 × 1.0 g counted (850 g at nominal fill, no weight checks). */
async function baggedBatch(strain: string) {
  const created = await call(batchesRoute.POST, {
    method: "POST",
    path: "/api/batches",
    headers: p.headers.operator,
    body: buildBatch({ strain, input_grams: 1000, stage: 6 }),
  });
  expect(created.status).toBe(201);
  const id = created.json.batch.id as string;
  const counted = await call(countsRoute.POST, {
    method: "POST",
    path: `/api/batch/${id}/counts`,
    params: { id },
    headers: p.headers.operator,
    body: { counts_0_5: 1500, counts_1_0: 100 },
  });
  expect(counted.status).toBe(200);
  return id;
}

const moveTo = (id: string, stage: number, grams: Record<string, unknown> = {}) =>
  call(stageRoute.POST, {
    method: "POST",
    path: `/api/batches/${id}/stage`,
    params: { id },
    headers: p.headers.operator,
    body: { stage, ...grams },
  });

const gapEvents = async (id: string) =>
  (await db.event.findMany({ where: { type: "batch.mass_balance_gap" }, orderBy: { id: "asc" } })).filter(
    (e) => (e.payload as { batch_id: string }).batch_id === id,
  );

async function deliver() {
  await relayAll();
  await runDeliveryBatch(db, { workerId: "mass-balance-test" });
}

describe("mass balance", () => {
  it("GET /api/data shows the worked example: 1000 g in = 850 g in units + 20 lab + 30 waste + 50 remainder + 50 g gap (5 %)", async () => {
    const id = await baggedBatch("Balance Example");
    const before = (await call(dataRoute.GET, { path: "/api/data", headers: p.headers.apiKey })).json.find(
      (b: { id: string }) => b.id === id,
    );
    // Nothing entered yet: 150 g of the 1000 g are unexplained.
    expect(before.mass_balance).toEqual({
      product_grams: 850,
      accounted_grams: 850,
      gap_grams: 150,
      gap_percent: 15,
      fill_basis: "nominal",
    });

    const moved = await moveTo(id, 7, { lab_sample_grams: 20, waste_grams: 30, remainder_grams: 50 });
    expect(moved.status).toBe(200);
    expect(moved.json.batch).toMatchObject({ stage: 7, lab_sample_grams: 20, waste_grams: 30, remainder_grams: 50 });

    const row = (await call(dataRoute.GET, { path: "/api/data", headers: p.headers.apiKey })).json.find((b: { id: string }) => b.id === id);
    expect(row).toMatchObject({ input_grams: 1000, lab_sample_grams: 20, waste_grams: 30, remainder_grams: 50 });
    expect(row.mass_balance).toEqual({ product_grams: 850, accounted_grams: 950, gap_grams: 50, gap_percent: 5, fill_basis: "nominal" });

    // The archive carries the same fields.
    await db.batch.update({ where: { id }, data: { archived: true } });
    const archived = (await call(archiveRoute.GET, { path: "/api/archive", headers: p.headers.apiKey })).json.find(
      (b: { id: string }) => b.id === id,
    );
    expect(archived.mass_balance.gap_grams).toBe(50);
  });

  it("a gap above tolerance at Done emits exactly one batch.mass_balance_gap and one push; back and forward again within the cooldown sends nothing more", async () => {
    const id = await baggedBatch("Gap Above");
    const pushesBefore = pushes.length;
    // 1000 − (850 + 10 + 20 + 70) = 50 g = 5 % > 2 %.
    expect((await moveTo(id, 7, { lab_sample_grams: 10, waste_grams: 20, remainder_grams: 70 })).status).toBe(200);
    const events = await gapEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({
      strain: "Gap Above",
      gap_grams: 50,
      gap_percent: 5,
      tolerance_percent: 2,
      tolerance_grams: 20,
      input_grams: 1000,
      accounted_grams: 950,
    });
    await deliver();
    const mine = pushes.slice(pushesBefore).filter((m) => m.message.startsWith("Gap Above:"));
    expect(mine).toHaveLength(1);
    expect(mine[0].message).toBe("Gap Above: mass balance gap 50 g at Done (5 % of 1000 g input; tolerance 2 %)");

    // Back to Bagging and to Done again with the same gap: the cooldown holds it back.
    expect((await moveTo(id, 6)).status).toBe(200);
    expect((await moveTo(id, 7)).status).toBe(200);
    expect(await gapEvents(id)).toHaveLength(1);
    // A larger gap is an escalation and is sent.
    expect((await moveTo(id, 6)).status).toBe(200);
    expect((await moveTo(id, 7, { remainder_grams: 0 })).status).toBe(200);
    const after = await gapEvents(id);
    expect(after).toHaveLength(2);
    expect(after[1].payload).toMatchObject({ gap_grams: 120, gap_percent: 12 });
    // After the cooldown the same gap alerts again on the next reaching of Done.
    await db.event.updateMany({
      where: { id: { in: after.map((e) => e.id) } },
      data: { created_at: new Date(Date.now() - (COOLDOWN_HOURS + 1) * 3_600_000) },
    });
    expect((await moveTo(id, 6)).status).toBe(200);
    expect((await moveTo(id, 7)).status).toBe(200);
    expect(await gapEvents(id)).toHaveLength(3);
    await deliver();
    expect(pushes.slice(pushesBefore).filter((m) => m.message.startsWith("Gap Above:"))).toHaveLength(3);
  });

  it("a gap within tolerance (or exactly at it) emits nothing", async () => {
    const id = await baggedBatch("Gap Within");
    // 1000 − (850 + 50 + 40 + 40) = 20 g = 2 %: at the tolerance, within.
    expect((await moveTo(id, 7, { lab_sample_grams: 50, waste_grams: 40, remainder_grams: 40 })).status).toBe(200);
    expect(await gapEvents(id)).toHaveLength(0);
    await deliver();
    expect(pushes.filter((m) => m.message.startsWith("Gap Within:"))).toHaveLength(0);
  });

  it("the grams and the move are one transaction: bad grams → 400 with field details and nothing changes", async () => {
    const id = await baggedBatch("Bad Grams");
    const eventsBefore = await db.event.count();
    const auditBefore = await db.auditLog.count({ where: { entity_id: id } });
    for (const bad of [{ waste_grams: -5 }, { lab_sample_grams: "ten" }, { remainder_grams: 2_000_000 }, { scrap_grams: 5 }]) {
      const res = await moveTo(id, 7, { lab_sample_grams: 20, ...bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.json.code).toBe("validation_failed");
    }
    const res = await moveTo(id, 7, { waste_grams: -5 });
    expect(res.json.details.fields).toHaveProperty("waste_grams");
    const batch = await db.batch.findUniqueOrThrow({ where: { id } });
    expect(batch).toMatchObject({ stage: 6, lab_sample_grams: 0, waste_grams: 0, remainder_grams: 0 });
    expect(await db.event.count()).toBe(eventsBefore);
    expect(await db.auditLog.count({ where: { entity_id: id } })).toBe(auditBefore);

    // A good request writes grams, move and alert together: one trace for all of them.
    expect((await moveTo(id, 7, { lab_sample_grams: 20, waste_grams: 30, remainder_grams: 50 })).status).toBe(200);
    const audit = (await db.auditLog.findMany({ where: { entity_id: id }, orderBy: { id: "asc" } })).slice(auditBefore);
    expect(audit.map((a) => a.field)).toEqual(expect.arrayContaining(["lab_sample_grams", "waste_grams", "remainder_grams", "stage"]));
    expect(new Set(audit.map((a) => a.trace_id)).size).toBe(1);
    const events = await db.event.findMany({ where: { id: { gt: 0 } }, orderBy: { id: "desc" }, take: 3 });
    expect(events.map((e) => e.type).sort()).toEqual(["batch.mass_balance_gap", "batch.stage_changed", "batch.updated"]);
  });

  /** A trigger refusing batch `id`'s move to stage 7: SQLite's RAISE(ABORT), PostgreSQL's a plpgsql function raising 23503 (both adapters report P2003, a 409). */
  const postgres = () => /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL!);
  async function refuseStage7(id: string) {
    if (!postgres()) {
      await db.$executeRawUnsafe(
        `CREATE TRIGGER refuse_done BEFORE UPDATE OF stage ON batches WHEN NEW.id = '${id}' AND NEW.stage = 7 BEGIN SELECT RAISE(ABORT, 'refused'); END`,
      );
      return;
    }
    await db.$executeRawUnsafe(
      "CREATE FUNCTION refuse_done() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = 'foreign_key_violation'; END $$",
    );
    await db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_done BEFORE UPDATE OF stage ON batches FOR EACH ROW WHEN (NEW.id = '${id}' AND NEW.stage = 7) EXECUTE FUNCTION refuse_done()`,
    );
  }
  async function dropRefusal() {
    if (!postgres()) return void (await db.$executeRawUnsafe("DROP TRIGGER refuse_done"));
    await db.$executeRawUnsafe("DROP TRIGGER refuse_done ON batches");
    await db.$executeRawUnsafe("DROP FUNCTION refuse_done()");
  }

  it("a move that fails after the grams were written rolls the grams back too", async () => {
    const id = await baggedBatch("Rolled Back");
    const eventsBefore = await db.event.count();
    // The stage update itself fails inside the transaction (a real trigger, after the grams' UPDATE).
    await refuseStage7(id);
    try {
      const res = await moveTo(id, 7, { lab_sample_grams: 20, waste_grams: 30, remainder_grams: 50 });
      // Accepted as input, refused by the database mid-transaction (route() maps a constraint failure to 409).
      expect(res.status).toBe(409);
      expect(res.json.code).not.toBe("validation_failed");
    } finally {
      await dropRefusal();
    }
    expect(await db.batch.findUniqueOrThrow({ where: { id } })).toMatchObject({
      stage: 6,
      lab_sample_grams: 0,
      waste_grams: 0,
      remainder_grams: 0,
    });
    expect(await db.event.count()).toBe(eventsBefore);
  });
});

describe("the default notifier carries the gap alert", () => {
  it("a default subscriber with the earlier default list is brought up to date at start; an admin's own list is left alone", async () => {
    const { DEFAULT_NOTIFY_SUBSCRIBER, DEFAULT_NOTIFY_EVENT_TYPES } = await import("@/lib/events/subscribers/default-notify");
    const old = "inventory.alert,batch.testing_overdue,backup.failed,subscriber.disabled,delivery.dead";
    await db.subscriber.update({ where: { name: DEFAULT_NOTIFY_SUBSCRIBER }, data: { event_types: old } });
    await ensureDefaultNotifySubscriber(admin);
    const upgraded = await db.subscriber.findUniqueOrThrow({ where: { name: DEFAULT_NOTIFY_SUBSCRIBER } });
    expect(upgraded.event_types).toBe(DEFAULT_NOTIFY_EVENT_TYPES);
    expect(upgraded.event_types.split(",")).toContain("batch.mass_balance_gap");
    const audit = await db.auditLog.findFirst({
      where: { entity: "subscriber", entity_id: upgraded.id, field: "event_types" },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({ old, new: DEFAULT_NOTIFY_EVENT_TYPES });

    await db.subscriber.update({ where: { name: DEFAULT_NOTIFY_SUBSCRIBER }, data: { event_types: "inventory.alert" } });
    const events = await db.event.count();
    await ensureDefaultNotifySubscriber(admin);
    expect((await db.subscriber.findUniqueOrThrow({ where: { name: DEFAULT_NOTIFY_SUBSCRIBER } })).event_types).toBe("inventory.alert");
    expect(await db.event.count()).toBe(events);
  });
});
