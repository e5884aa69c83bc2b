import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { relayAll } from "@/lib/events/relay";
import { runDeliveryBatch } from "@/lib/events/delivery/worker";
import * as subscribersRoute from "@/app/api/admin/subscribers/route";
import * as subscriberRoute from "@/app/api/admin/subscribers/[id]/route";
import * as rotateRoute from "@/app/api/admin/subscribers/[id]/rotate-secret/route";
import * as testRoute from "@/app/api/admin/subscribers/[id]/test/route";
import * as recoverRoute from "@/app/api/admin/subscribers/[id]/recover/route";
import * as deliveriesRoute from "@/app/api/admin/deliveries/route";
import * as deliveryRoute from "@/app/api/admin/deliveries/[id]/route";
import * as retryRoute from "@/app/api/admin/deliveries/[id]/retry/route";
import * as cancelRoute from "@/app/api/admin/deliveries/[id]/cancel/route";
import * as statusRoute from "@/app/api/admin/event-system/status/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

const webhook = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  event_types: "finished_good.*, batch.stage_changed",
  filter: { "payload.grams": { $gt: 0 }, "payload.strain": "Blue*" },
  kind: "webhook",
  config: { url: "http://127.0.0.1:9/hook" },
  ...extra,
});

async function create(body: Record<string, unknown>) {
  return call(subscribersRoute.POST, { method: "POST", path: "/api/admin/subscribers", headers: p.headers.admin, body });
}

describe("subscribers admin API", () => {
  it("creates a webhook subscriber, shows its secret once, audits it and emits subscriber.created", async () => {
    const res = await create(webhook("crm"));
    expect(res.status).toBe(201);
    expect(res.json.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const s = res.json.subscriber;
    expect(s).toMatchObject({
      name: "crm",
      kind: "webhook",
      event_types: "finished_good.*,batch.stage_changed",
      ordered: false,
      max_attempts: 8,
      active: true,
      has_secret: true,
    });
    expect(JSON.stringify(s)).not.toContain(res.json.secret);

    const got = await call(subscriberRoute.GET, { path: `/api/admin/subscribers/${s.id}`, params: { id: s.id }, headers: p.headers.admin });
    expect(got.status).toBe(200);
    expect(got.text).not.toContain(res.json.secret);
    const list = await call(subscribersRoute.GET, { path: "/api/admin/subscribers", headers: p.headers.admin });
    expect(list.json.subscribers.map((x: { name: string }) => x.name)).toContain("crm");
    expect(list.text).not.toContain(res.json.secret);

    expect(await db.auditLog.count({ where: { entity: "subscriber", entity_id: s.id } })).toBeGreaterThan(0);
    expect(await db.auditLog.count({ where: { entity: "subscriber", entity_id: s.id, new: { contains: "whsec_" } } })).toBe(0);
    const ev = await db.event.findFirst({ where: { type: "subscriber.created" }, orderBy: { id: "desc" } });
    expect(ev?.payload).toMatchObject({ subscriber_id: s.id, name: "crm" });
  });

  it("refuses an unknown kind, a webhook without a URL, a bad filter and a duplicate name", async () => {
    expect((await create(webhook("x1", { kind: "carrier_pigeon" }))).status).toBe(400);
    expect((await create(webhook("x2", { config: {} }))).status).toBe(400);
    expect((await create(webhook("x3", { config: { url: "ftp://example.com" } }))).status).toBe(400);
    expect((await create(webhook("x4", { filter: { "payload.grams": { $regex: "1" } } }))).status).toBe(400);
    expect((await create(webhook("x5", { event_types: " , " }))).status).toBe(400);
    await create(webhook("dup"));
    expect((await create(webhook("dup"))).status).toBe(409);
  });

  it("accepts notify, import, backup and cache kinds", async () => {
    for (const kind of ["notify", "import", "backup", "cache"]) {
      const res = await create({ name: `k-${kind}`, event_types: "*", kind, config: {} });
      expect(res.status, res.text).toBe(201);
      expect(res.json.secret).toBeNull();
    }
  });

  it("updates, rotates the secret, and deletes", async () => {
    const { json } = await create(webhook("editable"));
    const id = json.subscriber.id;
    const patched = await call(subscriberRoute.PATCH, {
      method: "PATCH",
      path: `/api/admin/subscribers/${id}`,
      params: { id },
      headers: p.headers.admin,
      body: { event_types: "supply.*", ordered: true, filter: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.subscriber).toMatchObject({ event_types: "supply.*", ordered: true, filter: null });
    const upd = await db.event.findFirst({ where: { type: "subscriber.updated" }, orderBy: { id: "desc" } });
    expect((upd?.payload as { changed_fields: string[] }).changed_fields).toEqual(
      expect.arrayContaining(["event_types", "ordered", "filter"]),
    );
    const badConfig = await call(subscriberRoute.PATCH, {
      method: "PATCH",
      path: `/api/admin/subscribers/${id}`,
      params: { id },
      headers: p.headers.admin,
      body: { config: { url: "nope" } },
    });
    expect(badConfig.status).toBe(400);

    const rotated = await call(rotateRoute.POST, {
      method: "POST",
      path: `/api/admin/subscribers/${id}/rotate-secret`,
      params: { id },
      headers: p.headers.admin,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(json.secret);
    const row = await db.subscriber.findUniqueOrThrow({ where: { id } });
    expect(row.previous_secret).toBe(json.secret);
    expect(row.previous_secret_expires_at!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    const del = await call(subscriberRoute.DELETE, {
      method: "DELETE",
      path: `/api/admin/subscribers/${id}`,
      params: { id },
      headers: p.headers.admin,
    });
    expect(del.status).toBe(200);
    expect(await db.subscriber.count({ where: { id } })).toBe(0);
    expect(await db.event.count({ where: { type: "subscriber.deleted" } })).toBeGreaterThan(0);
    const gone = await call(subscriberRoute.GET, { path: `/api/admin/subscribers/${id}`, params: { id }, headers: p.headers.admin });
    expect(gone.status).toBe(404);
  });

  it("is admin-only and session-only", async () => {
    expect((await call(subscribersRoute.GET, { path: "/api/admin/subscribers", headers: p.headers.operator })).status).toBe(403);
    expect((await call(subscribersRoute.GET, { path: "/api/admin/subscribers", headers: p.headers.apiKey })).status).toBe(401);
  });
});

describe("test ping, queue, retry, cancel, recover, status", () => {
  it("sends test.ping to one subscriber only, and runs the queue operations", async () => {
    await db.subscriber.updateMany({ data: { active: false } });
    await relayAll();
    // A receiver that is not there (nothing listens on port 9): every attempt fails.
    const target = (
      await create({
        name: "importer",
        event_types: "*",
        kind: "webhook",
        config: { url: "http://127.0.0.1:9/hook", timeout_ms: 2000 },
        max_attempts: 2,
      })
    ).json.subscriber;
    const bystander = (await create({ name: "everything", event_types: "*", kind: "cache", config: {} })).json.subscriber;

    const ping = await call(testRoute.POST, {
      method: "POST",
      path: `/api/admin/subscribers/${target.id}/test`,
      params: { id: target.id },
      headers: p.headers.admin,
      body: { message: "hello" },
    });
    expect(ping.status).toBe(202);
    await relayAll();
    const pings = await db.delivery.findMany({ where: { event_id: ping.json.event_id } });
    expect(pings.map((d) => d.subscriber_id)).toEqual([target.id]);
    expect(pings.some((d) => d.subscriber_id === bystander.id)).toBe(false);
    // Only the ping takes part from here on (the `*` subscribers also got each other's subscriber.created).
    await db.delivery.updateMany({ where: { id: { not: ping.json.delivery_id } }, data: { status: "cancelled" } });

    // The receiver is unreachable: the attempt fails and says why.
    await runDeliveryBatch(db, { workerId: "w1" });
    const shown = await call(deliveryRoute.GET, {
      path: `/api/admin/deliveries/${ping.json.delivery_id}`,
      params: { id: ping.json.delivery_id },
      headers: p.headers.admin,
    });
    expect(shown.status).toBe(200);
    expect(shown.json.delivery).toMatchObject({ status: "failed", attempts: 1, subscriber_name: "importer", event_type: "test.ping" });
    expect(shown.json.delivery.attempt_log).toHaveLength(1);
    expect(shown.json.delivery.attempt_log[0]).toMatchObject({ attempt_number: 1, trigger: "scheduled" });
    expect(shown.json.delivery.attempt_log[0].error).toMatch(/Request failed|Timed out/);

    const queue = await call(deliveriesRoute.GET, {
      path: `/api/admin/deliveries?status=failed,pending&subscriber_id=${target.id}`,
      headers: p.headers.admin,
    });
    expect(queue.status).toBe(200);
    expect(queue.json.deliveries.map((d: { id: string }) => d.id)).toContain(ping.json.delivery_id);
    expect(queue.json.counts.failed).toBeGreaterThanOrEqual(1);
    expect((await call(deliveriesRoute.GET, { path: "/api/admin/deliveries?status=bogus", headers: p.headers.admin })).status).toBe(400);

    // Manual retry: the next attempt is due now and its trigger is "manual"; attempt 2 of 2 → dead.
    const retried = await call(retryRoute.POST, {
      method: "POST",
      path: `/api/admin/deliveries/${ping.json.delivery_id}/retry`,
      params: { id: ping.json.delivery_id },
      headers: p.headers.admin,
    });
    expect(retried.status).toBe(200);
    expect(retried.json.delivery.status).toBe("pending");
    await runDeliveryBatch(db, { workerId: "w1" });
    const after = await call(deliveryRoute.GET, {
      path: `/api/admin/deliveries/${ping.json.delivery_id}`,
      params: { id: ping.json.delivery_id },
      headers: p.headers.admin,
    });
    expect(after.json.delivery.status).toBe("dead");
    expect(after.json.delivery.attempt_log.map((a: { trigger: string }) => a.trigger)).toEqual(["scheduled", "manual"]);
    expect(await db.event.count({ where: { type: "delivery.retried" } })).toBe(1);

    // Recover: requeue the subscriber's failed/dead deliveries in a window.
    const recovered = await call(recoverRoute.POST, {
      method: "POST",
      path: `/api/admin/subscribers/${target.id}/recover`,
      params: { id: target.id },
      headers: p.headers.admin,
      body: { from: new Date(Date.now() - 3_600_000).toISOString() },
    });
    expect(recovered.status).toBe(200);
    expect(recovered.json.requeued).toBe(1);
    expect((await db.delivery.findUniqueOrThrow({ where: { id: ping.json.delivery_id } })).status).toBe("pending");
    const badWindow = await call(recoverRoute.POST, {
      method: "POST",
      path: `/api/admin/subscribers/${target.id}/recover`,
      params: { id: target.id },
      headers: p.headers.admin,
      body: { from: "yesterday" },
    });
    expect(badWindow.status).toBe(400);

    // Cancel the requeued delivery; a cancelled one cannot be cancelled again.
    const cancelled = await call(cancelRoute.POST, {
      method: "POST",
      path: `/api/admin/deliveries/${ping.json.delivery_id}/cancel`,
      params: { id: ping.json.delivery_id },
      headers: p.headers.admin,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.delivery.status).toBe("cancelled");
    const again = await call(cancelRoute.POST, {
      method: "POST",
      path: `/api/admin/deliveries/${ping.json.delivery_id}/cancel`,
      params: { id: ping.json.delivery_id },
      headers: p.headers.admin,
    });
    expect(again.status).toBe(409);
    expect((await runDeliveryBatch(db, { workerId: "w1" })).claimed).toBe(0);
    expect(await db.auditLog.count({ where: { entity: "delivery", entity_id: ping.json.delivery_id } })).toBeGreaterThanOrEqual(3);
  });

  it("reports worker heartbeat, relay lag, throughput and failures", async () => {
    await db.workerHeartbeat.create({ data: { id: "test-worker", beat_at: new Date(Date.now() - 4000) } });
    await relayAll();
    // Two deliveries completed a few seconds ago, one three minutes ago.
    const sub = await db.subscriber.create({ data: { name: "status-counts", event_types: "nothing.*", kind: "cache", config: {} } });
    const someEvents = await db.event.findMany({ take: 3, orderBy: { id: "asc" } });
    for (const [i, e] of someEvents.entries()) {
      const at = new Date(Date.now() - (i < 2 ? 5_000 : 180_000));
      await db.delivery.create({ data: { event_id: e.id, subscriber_id: sub.id, status: "completed", completed_at: at } });
    }
    await mutate(systemContext("tester", "cli"), (m) => m.emit("sync.requested", { requested_at: "now" }));
    const res = await call(statusRoute.GET, { path: "/api/admin/event-system/status", headers: p.headers.admin });
    expect(res.status).toBe(200);
    expect(res.json.worker.heartbeat_age_seconds).toBeGreaterThanOrEqual(3);
    expect(res.json.relay.lag_events).toBe(1);
    expect(res.json.relay.lag_seconds).toBeGreaterThanOrEqual(0);
    expect(res.json.deliveries.per_minute_last_10_min).toHaveLength(10);
    expect(res.json.failures.per_hour_last_24_h).toHaveLength(24);
    expect(res.json.failures.last_hour).toBeGreaterThanOrEqual(2);
    const completedNow = await db.delivery.count({ where: { completed_at: { gte: new Date(Date.now() - 60_000) } } });
    expect(completedNow).toBeGreaterThanOrEqual(2);
    expect(res.json.deliveries.per_minute_last_10_min[9]).toBe(completedNow);
    expect(res.json.deliveries.per_minute_last_10_min[6] + res.json.deliveries.per_minute_last_10_min[7]).toBeGreaterThanOrEqual(1);
    expect(res.json.deliveries.completed_last_10_min).toBeGreaterThanOrEqual(completedNow + 1);
    expect(res.json.workers).toEqual([expect.objectContaining({ id: "test-worker", alive: true })]);
    expect(Array.isArray(res.json.jobs)).toBe(true);
    await relayAll();
    const caught = await call(statusRoute.GET, { path: "/api/admin/event-system/status", headers: p.headers.admin });
    expect(caught.json.relay.lag_events).toBe(0);
  });
});
