import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { relayAll, relayOnce, RELAY_CURSOR } from "@/lib/events/relay";
import { attemptDelivery, claimDue, FAILING_DISABLE_MS, recordAttempts, runDeliveryBatch } from "@/lib/events/delivery/worker";
import { deliveryStore } from "@/lib/events/delivery/store";
import { createSubscriber, rotateSecret } from "@/lib/events/subscribers/service";
import { emitTagged, taggedWebhook } from "@/tests/helpers/tagged-webhook";
import { updateSettings } from "@/lib/domain/settings/settings";
import { startEventLoop } from "@/lib/events/delivery/loop";

/**
 * The durable queue end to end against a real HTTP receiver on an ephemeral port, which checks
 * every request's Standard Webhooks signature with the `standardwebhooks` package.
 */

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  envelope: { id: number; type: string; payload: Record<string, unknown> };
}
interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

const received: Received[] = [];
let reply: (n: number) => Reply = () => ({ status: 200 });
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const r = reply(received.length);
      let envelope: Received["envelope"];
      try {
        envelope = JSON.parse(body);
      } catch {
        envelope = { id: 0, type: "(form)", payload: Object.fromEntries(new URLSearchParams(body)) };
      }
      received.push({ headers: req.headers as Record<string, string>, body, envelope, path: req.url ?? "" });
      setTimeout(() => {
        res.writeHead(r.status, r.headers ?? {});
        res.end(r.body ?? "ok");
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const admin = systemContext("admin", "web");
let tagSeq = 0;

beforeEach(async () => {
  // Each test owns its subscribers: earlier ones stop taking part.
  await db.subscriber.updateMany({ data: { active: false } });
  received.length = 0;
  reply = () => ({ status: 200 });
});

const newSubscriber = (tag: string, extra: Parameters<typeof taggedWebhook>[2] = {}) => taggedWebhook(url, tag, extra);
const emit = emitTagged;

function tag(): string {
  return `t${++tagSeq}-${Math.random().toString(36).slice(2, 8)}`;
}

async function deliveryOf(subscriberId: string, eventId: number) {
  return db.delivery.findUniqueOrThrow({
    where: { event_id_subscriber_id: { event_id: eventId, subscriber_id: subscriberId } },
    include: { attempt_log: { orderBy: { attempt_number: "asc" } } },
  });
}

const at = (d: Date, plusMs = 1) => new Date(d.getTime() + plusMs);

describe("webhook delivery", () => {
  it("delivers a signed envelope with a stable webhook-id and records the attempt", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const eventId = await emit(t);
    const relayed = await relayAll();
    expect(relayed.deliveries).toBeGreaterThanOrEqual(1);
    const batch = await runDeliveryBatch(db, { workerId: "w1" });
    expect(batch.outcomes.completed).toBe(1);

    expect(received).toHaveLength(1);
    const r = received[0];
    expect(r.headers["webhook-id"]).toBe(`${eventId}_${sub.id}`);
    expect(r.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(sub.secret).verify(r.body, r.headers)).toMatchObject({
      id: eventId,
      type: "sync.requested",
      payload: { requested_at: t },
    });
    expect(() => new Webhook(`whsec_${Buffer.from("wrong-secret-wrong-secret").toString("base64")}`).verify(r.body, r.headers)).toThrow();
    expect(r.envelope.payload).toEqual({ requested_at: t });
    expect(Object.keys(r.envelope)).toEqual(["id", "type", "payload", "metadata"]);

    const d = await deliveryOf(sub.id, eventId);
    expect(d).toMatchObject({ status: "completed", attempts: 1, locked_by: null, last_status_code: 200, last_error: null });
    expect(d.completed_at).not.toBeNull();
    expect(d.attempt_log).toHaveLength(1);
    expect(d.attempt_log[0]).toMatchObject({
      attempt_number: 1,
      trigger: "scheduled",
      url,
      status_code: 200,
      response_excerpt: "ok",
      error: null,
      next_attempt_at: null,
    });
    expect(d.attempt_log[0].duration_ms).toBeGreaterThanOrEqual(0);
    // Nothing left to do.
    expect((await runDeliveryBatch(db, { workerId: "w1" })).claimed).toBe(0);
  });

  it("retries with back-off after a failure, honours Retry-After, keeps the webhook-id", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const eventId = await emit(t);
    await relayAll();
    reply = (n) =>
      n === 0
        ? { status: 429, headers: { "retry-after": "60" }, body: "slow down" }
        : n === 1
          ? { status: 500, body: "x".repeat(3000) }
          : { status: 204, body: "" };

    const t0 = new Date();
    await runDeliveryBatch(db, { workerId: "w1", now: t0 });
    let d = await deliveryOf(sub.id, eventId);
    expect(d).toMatchObject({ status: "failed", attempts: 1, last_status_code: 429, last_error: "HTTP 429" });
    const wait1 = d.next_attempt_at.getTime() - t0.getTime();
    expect(wait1).toBeGreaterThanOrEqual(60_000); // Retry-After beats the 5 s ±20 % schedule
    expect(wait1).toBeLessThan(62_000);
    expect(d.attempt_log[0].next_attempt_at?.getTime()).toBe(d.next_attempt_at.getTime());

    // Not due yet: nothing is claimed.
    expect((await runDeliveryBatch(db, { workerId: "w1", now: at(t0, 30_000) })).claimed).toBe(0);

    const t1 = at(d.next_attempt_at);
    await runDeliveryBatch(db, { workerId: "w1", now: t1 });
    d = await deliveryOf(sub.id, eventId);
    expect(d).toMatchObject({ status: "failed", attempts: 2, last_status_code: 500 });
    const wait2 = d.next_attempt_at.getTime() - t1.getTime();
    expect(wait2).toBeGreaterThanOrEqual(0.8 * 300_000); // 5 min ±20 %
    expect(wait2).toBeLessThanOrEqual(1.2 * 300_000 + 2_000);
    expect(Buffer.byteLength(d.attempt_log[1].response_excerpt!)).toBeLessThanOrEqual(1024);
    expect((await db.subscriber.findUniqueOrThrow({ where: { id: sub.id } })).failing_since).not.toBeNull();

    await runDeliveryBatch(db, { workerId: "w1", now: at(d.next_attempt_at) });
    d = await deliveryOf(sub.id, eventId);
    expect(d).toMatchObject({ status: "completed", attempts: 3, last_status_code: 204 });
    expect(d.attempt_log.map((a) => a.status_code)).toEqual([429, 500, 204]);
    expect(new Set(received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([`${eventId}_${sub.id}`]));
    for (const r of received) expect(() => new Webhook(sub.secret).verify(r.body, r.headers)).not.toThrow();
    expect((await db.subscriber.findUniqueOrThrow({ where: { id: sub.id } })).failing_since).toBeNull();
  });

  it("counts a redirect as a failure and does not follow it", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const eventId = await emit(t);
    await relayAll();
    reply = () => ({ status: 302, headers: { location: `${url}/elsewhere` } });
    await runDeliveryBatch(db, { workerId: "w1" });
    const d = await deliveryOf(sub.id, eventId);
    expect(d).toMatchObject({ status: "failed", last_status_code: 302 });
    expect(d.last_error).toMatch(/Redirect/);
    expect(received).toHaveLength(1);
  });

  it("410 Gone disables the subscriber with a subscriber.disabled event", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const eventId = await emit(t);
    await relayAll();
    reply = () => ({ status: 410, body: "gone" });
    const res = await runDeliveryBatch(db, { workerId: "w1" });
    expect(res.outcomes.disabled).toBe(1);
    const s = await db.subscriber.findUniqueOrThrow({ where: { id: sub.id } });
    expect(s.active).toBe(false);
    expect(s.disabled_reason).toMatch(/410/);
    const events = await db.event.findMany({ where: { type: "subscriber.disabled" } });
    expect(events.some((e) => (e.payload as { subscriber_id: string }).subscriber_id === sub.id)).toBe(true);
    expect(await db.auditLog.count({ where: { entity: "subscriber", entity_id: sub.id, field: "active", new: "false" } })).toBe(1);
    // A disabled subscriber's deliveries wait; new events no longer fan out to it.
    expect((await runDeliveryBatch(db, { workerId: "w1", now: new Date(Date.now() + 86_400_000) })).claimed).toBe(0);
    const later = await emit(t);
    await relayAll();
    expect(await db.delivery.count({ where: { subscriber_id: sub.id, event_id: later } })).toBe(0);
    expect((await deliveryOf(sub.id, eventId)).status).toBe("failed");
  });

  it("goes dead after max_attempts with a delivery.dead event", async () => {
    const t = tag();
    const sub = await newSubscriber(t, { max_attempts: 3 });
    const eventId = await emit(t);
    await relayAll();
    reply = () => ({ status: 500, body: "boom" });
    let now = new Date();
    for (let i = 0; i < 3; i++) {
      expect((await runDeliveryBatch(db, { workerId: "w1", now })).claimed).toBe(1);
      now = at((await deliveryOf(sub.id, eventId)).next_attempt_at, 1);
    }
    const d = await deliveryOf(sub.id, eventId);
    expect(d).toMatchObject({ status: "dead", attempts: 3, last_status_code: 500 });
    expect(d.attempt_log.map((a) => a.attempt_number)).toEqual([1, 2, 3]);
    expect(d.attempt_log[2].next_attempt_at).toBeNull();
    const dead = await db.event.findMany({ where: { type: "delivery.dead" } });
    expect(dead.some((e) => (e.payload as { delivery_id: string }).delivery_id === d.id)).toBe(true);
    expect((await runDeliveryBatch(db, { workerId: "w1", now: new Date(Date.now() + 365 * 86_400_000) })).claimed).toBe(0);
    expect(received).toHaveLength(3);
  });
});

describe("a subscriber that only fails", () => {
  it("is disabled with one subscriber.disabled event after 5 days without a success", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const first = await emit(t);
    await relayAll();
    reply = () => ({ status: 503, body: "down" });
    const t0 = new Date();
    expect((await runDeliveryBatch(db, { workerId: "w1", now: t0 })).outcomes.failed).toBe(1);
    const since = (await db.subscriber.findUniqueOrThrow({ where: { id: sub.id } })).failing_since;
    expect(since).not.toBeNull();

    // Four days on: still failing, still active.
    const second = await emit(t);
    await relayAll();
    const day4 = new Date(t0.getTime() + 4 * 86_400_000);
    expect((await runDeliveryBatch(db, { workerId: "w1", now: day4 })).claimed).toBe(2);
    let s = await db.subscriber.findUniqueOrThrow({ where: { id: sub.id } });
    expect(s).toMatchObject({ active: true, failing_since: since });

    // Past 5 days since the first failure: both due deliveries fail in one batch, the subscriber
    // is disabled once.
    const day5 = new Date(t0.getTime() + FAILING_DISABLE_MS + 60_000);
    const res = await runDeliveryBatch(db, { workerId: "w1", now: day5 });
    expect(res.claimed).toBe(2);
    expect(res.outcomes).toEqual({ disabled: 1, failed: 1 });
    s = await db.subscriber.findUniqueOrThrow({ where: { id: sub.id } });
    expect(s.active).toBe(false);
    expect(s.disabled_reason).toMatch(/5 days/);
    const disabled = (await db.event.findMany({ where: { type: "subscriber.disabled" } })).filter(
      (e) => (e.payload as { subscriber_id: string }).subscriber_id === sub.id,
    );
    expect(disabled).toHaveLength(1);
    expect(disabled[0].payload).toMatchObject({ name: `hook-${t}`, reason: s.disabled_reason });
    expect(await db.auditLog.count({ where: { entity: "subscriber", entity_id: sub.id, field: "active", new: "false" } })).toBe(1);
    // Every attempt has its row; the deliveries wait (failed), nothing is claimed any more.
    for (const id of [first, second]) expect((await deliveryOf(sub.id, id)).status).toBe("failed");
    expect(await db.deliveryAttempt.count({ where: { delivery: { subscriber_id: sub.id } } })).toBe(5);
    expect((await runDeliveryBatch(db, { workerId: "w1", now: new Date(day5.getTime() + 86_400_000) })).claimed).toBe(0);
  });
});

describe("leases and workers", () => {
  it("a crashed worker's claim is picked up again once its lease expires", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const eventId = await emit(t);
    await relayAll();
    const claims = await claimDue(db, { workerId: "crashed", leaseMs: 300 });
    expect(claims).toHaveLength(1);
    let d = await deliveryOf(sub.id, eventId);
    expect(d).toMatchObject({ status: "processing", locked_by: "crashed" });
    // While the lease holds nobody else takes it.
    expect((await runDeliveryBatch(db, { workerId: "w2" })).claimed).toBe(0);
    await new Promise((r) => setTimeout(r, 350));
    const res = await runDeliveryBatch(db, { workerId: "w2" });
    expect(res.outcomes.completed).toBe(1);
    d = await deliveryOf(sub.id, eventId);
    expect(d).toMatchObject({ status: "completed", attempts: 1, locked_by: null });
    expect(received).toHaveLength(1);
  });

  it("two concurrent workers never deliver one delivery twice", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await emit(t));
    await relayAll();
    reply = () => ({ status: 200, delayMs: 30 });
    const [a, b] = await Promise.all([
      runDeliveryBatch(db, { workerId: "wa", limit: 12 }),
      runDeliveryBatch(db, { workerId: "wb", limit: 12 }),
    ]);
    const c = await runDeliveryBatch(db, { workerId: "wc", limit: 12 });
    expect(a.claimed + b.claimed + c.claimed).toBe(12);
    const hookIds = received.map((r) => r.headers["webhook-id"]);
    expect(hookIds).toHaveLength(12);
    expect(new Set(hookIds).size).toBe(12);
    expect(new Set(hookIds)).toEqual(new Set(ids.map((id) => `${id}_${sub.id}`)));
    const attempts = await db.deliveryAttempt.count({ where: { delivery: { subscriber_id: sub.id } } });
    expect(attempts).toBe(12);
  });

  it("two workers claiming at once split the queue without overlap", async () => {
    const t = tag();
    await newSubscriber(t);
    for (let i = 0; i < 20; i++) await emit(t);
    await relayAll();
    const [a, b] = await Promise.all([claimDue(db, { workerId: "x1", limit: 20 }), claimDue(db, { workerId: "x2", limit: 20 })]);
    const all = [...a, ...b].map((c) => c.id);
    expect(all).toHaveLength(20);
    expect(new Set(all).size).toBe(20);
    // Release them so later tests start clean.
    await db.delivery.updateMany({ where: { id: { in: all } }, data: { status: "cancelled", locked_by: null, locked_until: null } });
  });

  it("an ordered subscriber's later delivery waits for the earlier one", async () => {
    const t = tag();
    const sub = await newSubscriber(t, { ordered: true });
    const first = await emit(t);
    const second = await emit(t);
    await relayAll();
    reply = (n) => (n === 0 ? { status: 500 } : { status: 200 });
    const r1 = await runDeliveryBatch(db, { workerId: "w1" });
    expect(r1.claimed).toBe(1);
    expect((await deliveryOf(sub.id, second)).status).toBe("pending");
    // The second is due but blocked until the first is done.
    expect((await runDeliveryBatch(db, { workerId: "w1" })).claimed).toBe(0);
    const retryAt = at((await deliveryOf(sub.id, first)).next_attempt_at);
    expect((await runDeliveryBatch(db, { workerId: "w1", now: retryAt })).claimed).toBe(1);
    expect((await runDeliveryBatch(db, { workerId: "w1", now: retryAt })).claimed).toBe(1);
    expect(received.map((r) => r.envelope.id)).toEqual([first, first, second]);
    expect((await deliveryOf(sub.id, second)).status).toBe("completed");
  });
});

describe("relay", () => {
  it("a restart neither skips nor re-fans events", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    await relayAll(); // drain anything earlier
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await emit(t));
    const before = (await db.cursor.findUniqueOrThrow({ where: { name: RELAY_CURSOR } })).position;
    const page = await relayOnce(db, { pageSize: 2 });
    expect(page.events).toBe(2);
    expect((await db.cursor.findUniqueOrThrow({ where: { name: RELAY_CURSOR } })).position).toBe(ids[1]);
    // "Restart": a fresh pass continues from the durable cursor.
    await relayAll();
    const rows = await db.delivery.findMany({ where: { subscriber_id: sub.id }, orderBy: { event_id: "asc" } });
    expect(rows.map((r) => r.event_id)).toEqual(ids);
    // Replaying from an older cursor (e.g. a restored backup) creates no duplicates.
    await db.cursor.update({ where: { name: RELAY_CURSOR }, data: { position: before } });
    const replay = await relayAll();
    expect(replay.events).toBe(5);
    expect(replay.deliveries).toBe(0);
    expect(await db.delivery.count({ where: { subscriber_id: sub.id } })).toBe(5);
  });

  it("with a lease, leases the first deliveries of unordered subscribers to the worker and leaves the rest pending", async () => {
    const t = tag();
    await relayAll(); // drain anything earlier
    const plain = await newSubscriber(t);
    const ordered = await newSubscriber(t, { name: `hook-${t}-ordered`, ordered: true });
    const ids = [await emit(t), await emit(t), await emit(t)];
    const page = await relayOnce(db, { lease: { workerId: "relay-w", leaseMs: 30_000, limit: 2 } });
    expect(page.deliveries).toBe(6);
    // The first two of the unordered subscriber, in event order; the ordered one's wait for a claim.
    expect(page.jobs.map((j) => [j.delivery.event_id, j.subscriber.id])).toEqual([
      [ids[0], plain.id],
      [ids[1], plain.id],
    ]);
    const rows = await db.delivery.findMany({ where: { event_id: { in: ids } }, orderBy: [{ event_id: "asc" }] });
    const state = (subscriberId: string) =>
      rows.filter((r) => r.subscriber_id === subscriberId).map((r) => [r.event_id, r.status, r.locked_by]);
    expect(state(plain.id)).toEqual([
      [ids[0], "processing", "relay-w"],
      [ids[1], "processing", "relay-w"],
      [ids[2], "pending", null],
    ]);
    expect(state(ordered.id).map(([, status]) => status)).toEqual(["pending", "pending", "pending"]);
    const leasedUntil = rows.find((r) => r.event_id === ids[0] && r.subscriber_id === plain.id)!.locked_until!;
    expect(leasedUntil.getTime()).toBeGreaterThan(Date.now() + 20_000);
    // A leased job runs and records like a claimed one.
    const results = await Promise.all(page.jobs.map((job) => attemptDelivery(job)));
    const outcomes = await recordAttempts(db, results, "relay-w");
    expect([...outcomes.values()]).toEqual(["completed", "completed"]);
    expect((await deliveryOf(plain.id, ids[0])).status).toBe("completed");
    expect(received.map((r) => r.envelope.id).sort()).toEqual([ids[0], ids[1]].sort());
    // Replayed from an older cursor, the relay creates and leases nothing twice.
    await db.cursor.update({ where: { name: RELAY_CURSOR }, data: { position: ids[0] - 1 } });
    const replay = await relayOnce(db, { lease: { workerId: "relay-w", leaseMs: 30_000, limit: 10 } });
    expect(replay.deliveries).toBe(0);
    expect(replay.jobs).toEqual([]);
  });

  it("a delivery the relay leased and the worker released is pending again", async () => {
    const t = tag();
    await relayAll();
    const sub = await newSubscriber(t);
    const id = await emit(t);
    const page = await relayOnce(db, { lease: { workerId: "relay-w2", leaseMs: 30_000, limit: 5 } });
    expect(page.jobs).toHaveLength(1);
    expect(await deliveryStore().releaseClaims([page.jobs[0].claim], "relay-w2")).toBe(1);
    expect(await deliveryOf(sub.id, id)).toMatchObject({ status: "pending", locked_by: null, locked_until: null });
  });

  it("fans out only to active subscribers whose globs and filters match", async () => {
    const t = tag();
    const match = await newSubscriber(t);
    const other = await newSubscriber(`${t}-other`);
    const wrongType = await newSubscriber(`${t}-type`, { event_types: "batch.*", filter: null });
    const paused = await newSubscriber(`${t}-paused`, { filter: null, active: false });
    const id = await emit(t);
    await relayAll();
    const subs = (await db.delivery.findMany({ where: { event_id: id } })).map((d) => d.subscriber_id);
    expect(subs).toContain(match.id);
    expect(subs).not.toContain(other.id);
    expect(subs).not.toContain(wrongType.id);
    expect(subs).not.toContain(paused.id);
  });
});

describe("secret rotation", () => {
  it("signs with both secrets during the grace period, then only the new one", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const rotated = await rotateSecret(admin, sub.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(sub.secret);
    const graceEnds = new Date(rotated.subscriber.previous_secret_expires_at!).getTime() - Date.now();
    expect(graceEnds).toBeGreaterThan(23.9 * 3_600_000);

    await emit(t);
    await relayAll();
    await runDeliveryBatch(db, { workerId: "w1" });
    expect(received).toHaveLength(1);
    const r = received[0];
    expect(r.headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(sub.secret).verify(r.body, r.headers)).not.toThrow();
    expect(() => new Webhook(rotated.secret!).verify(r.body, r.headers)).not.toThrow();

    await db.subscriber.update({ where: { id: sub.id }, data: { previous_secret_expires_at: new Date(Date.now() - 1000) } });
    await emit(t);
    await relayAll();
    await runDeliveryBatch(db, { workerId: "w1" });
    const r2 = received[1];
    expect(r2.headers["webhook-signature"].split(" ")).toHaveLength(1);
    expect(() => new Webhook(rotated.secret!).verify(r2.body, r2.headers)).not.toThrow();
    expect(() => new Webhook(sub.secret).verify(r2.body, r2.headers)).toThrow();
  });
});

describe("notify subscribers", () => {
  it("send the event through the Pushover sender", async () => {
    const t = tag();
    process.env.PUSHOVER_API_URL = new URL(url).origin;
    await updateSettings(admin, {
      pushover: {
        enabled: true,
        user_key: "u".repeat(30),
        app_token: "a".repeat(30),
        warning_grams: 500,
        critical_grams: 100,
        cooldown_hours: 24,
      },
    });
    const { subscriber } = await createSubscriber(admin, {
      name: `notify-${t}`,
      event_types: "sync.requested",
      filter: { "payload.requested_at": t },
      kind: "notify",
      config: { title: "Got {type}", message: "event {id}: {payload}", priority: 1 },
      ordered: false,
      max_attempts: 8,
      active: true,
    });
    const eventId = await emit(t);
    await relayAll();
    reply = () => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: 1, request: "req-1" }) });
    await runDeliveryBatch(db, { workerId: "w1" });
    expect(received).toHaveLength(1);
    expect(received[0].path).toBe("/1/messages.json");
    expect(received[0].envelope.payload).toMatchObject({
      title: "Got sync.requested",
      message: `event ${eventId}: {"requested_at":"${t}"}`,
      priority: "1",
    });
    const d = await deliveryOf(subscriber.id, eventId);
    expect(d).toMatchObject({ status: "completed", last_status_code: 200 });
    expect(d.attempt_log[0].response_excerpt).toBe("request req-1");
    delete process.env.PUSHOVER_API_URL;
  });
});

describe("worker loop", () => {
  it("delivers a new event within milliseconds of its commit, without waiting for a tick", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const stop = startEventLoop("fast-worker", { intervalMs: 60_000 });
    try {
      await new Promise((r) => setTimeout(r, 50)); // the loop's first look is done; it is idle
      const committed = Date.now();
      const eventId = await emit(t);
      for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(received.map((r) => r.headers["webhook-id"])).toEqual([`${eventId}_${sub.id}`]);
      expect(Date.now() - committed).toBeLessThan(500);
    } finally {
      await stop();
    }
    expect((await db.delivery.findFirstOrThrow({ where: { subscriber_id: sub.id } })).status).toBe("completed");
  });

  it("stops gracefully: attempts in flight finish and are recorded before stop() resolves", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    reply = () => ({ status: 200, delayMs: 300 });
    const stop = startEventLoop("draining-worker", { intervalMs: 50 });
    for (let i = 0; i < 3; i++) await emit(t);
    for (let i = 0; i < 200 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received).toHaveLength(3); // all three are in flight now
    await stop();
    const rows = await db.delivery.findMany({ where: { subscriber_id: sub.id }, include: { attempt_log: true } });
    expect(rows.map((d) => d.status)).toEqual(["completed", "completed", "completed"]);
    expect(rows.every((d) => d.attempt_log.length === 1 && d.locked_by === null)).toBe(true);
  });

  it("stops within its bound when a receiver hangs, and puts the delivery back for another worker", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    reply = () => ({ status: 200, delayMs: 3000 });
    const stop = startEventLoop("impatient-worker", { intervalMs: 50, drainMs: 200 });
    const eventId = await emit(t);
    for (let i = 0; i < 200 && received.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    const stopping = Date.now();
    await stop();
    expect(Date.now() - stopping).toBeLessThan(1500);
    const d = await deliveryOf(sub.id, eventId);
    expect(d).toMatchObject({ status: "pending", locked_by: null, locked_until: null, attempts: 0 });
    // Another worker takes it at once (no lease to wait out).
    reply = () => ({ status: 200 });
    expect((await runDeliveryBatch(db, { workerId: "next-worker" })).outcomes.completed).toBe(1);
  });

  it("renews the lease of a slow attempt, so a short lease never hands it to a second worker", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    reply = () => ({ status: 200, delayMs: 1500 });
    const stop = startEventLoop("slow-worker", { intervalMs: 50, leaseMs: 600 });
    try {
      const eventId = await emit(t);
      for (let i = 0; i < 200 && received.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 900)); // past the first lease's end
      expect((await runDeliveryBatch(db, { workerId: "second-worker" })).claimed).toBe(0);
      for (let i = 0; i < 200 && (await deliveryOf(sub.id, eventId)).status !== "completed"; i++)
        await new Promise((r) => setTimeout(r, 20));
      const d = await deliveryOf(sub.id, eventId);
      expect(d).toMatchObject({ status: "completed", attempts: 1 });
      expect(d.attempt_log).toHaveLength(1);
      expect(received).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  it("relays and delivers on its own tick", async () => {
    const t = tag();
    const sub = await newSubscriber(t);
    const eventId = await emit(t);
    const stop = startEventLoop("loop-worker", { intervalMs: 50 });
    try {
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await stop();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([`${eventId}_${sub.id}`]);
    expect((await deliveryOf(sub.id, eventId)).status).toBe("completed");
  });
});
