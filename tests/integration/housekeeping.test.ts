import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { housekeeping } from "@/lib/jobs/housekeeping";

/**
 * The hourly housekeeping job keeps the queue tables from growing without bound: finished
 * deliveries (with their attempt log) and handled inbound events go after the retention period;
 * anything someone may still act on (failed, dead, pending; failed inbound) stays, and so do events.
 */

const DAY = 24 * 3_600_000;

describe("housekeeping", () => {
  it("removes finished deliveries and handled inbound events past the retention, keeps the rest", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 31 * DAY);
    const recent = new Date(now.getTime() - 2 * DAY);
    const subscriber = await db.subscriber.create({ data: { name: "hk", event_types: "*", kind: "cache", config: {} } });
    const statuses = ["completed", "cancelled", "failed", "dead", "pending"] as const;
    const made: Record<string, string> = {};
    for (const [i, status] of statuses.entries()) {
      for (const [age, at] of [
        ["old", old],
        ["recent", recent],
      ] as const) {
        const event = await db.event.create({
          data: { type: "test.ping", payload: { message: `${status}-${age}-${i}` }, actor: "t", trace_id: "t", source: "test" },
        });
        const d = await db.delivery.create({ data: { event_id: event.id, subscriber_id: subscriber.id, status } });
        await db.deliveryAttempt.create({
          data: { delivery_id: d.id, attempt_number: 1, trigger: "scheduled", started_at: at, duration_ms: 1 },
        });
        // updated_at is @updatedAt: set the age with raw SQL, as time would.
        await db.$executeRaw`UPDATE deliveries SET updated_at = ${at.toISOString()} WHERE id = ${d.id}`;
        made[`${status}-${age}`] = d.id;
      }
    }
    const source = await db.eventSource.create({ data: { name: "hk-source", url: "http://127.0.0.1:9/feed" } });
    for (const [n, status] of ["processed", "ignored", "failed"].entries()) {
      await db.inboundEvent.create({
        data: { source_id: source.id, source_event_id: `old-${n}`, type: "x", payload: {}, status, received_at: old },
      });
      await db.inboundEvent.create({
        data: { source_id: source.id, source_event_id: `new-${n}`, type: "x", payload: {}, status, received_at: recent },
      });
    }
    const eventsBefore = await db.event.count();

    const result = await housekeeping(db, now);

    expect(result).toMatchObject({ deliveries_removed: 2, inbound_events_removed: 2 });
    const left = new Set((await db.delivery.findMany({ where: { subscriber_id: subscriber.id }, select: { id: true } })).map((d) => d.id));
    expect(left.has(made["completed-old"])).toBe(false);
    expect(left.has(made["cancelled-old"])).toBe(false);
    for (const key of ["completed-recent", "cancelled-recent", "failed-old", "dead-old", "pending-old", "failed-recent"])
      expect(left.has(made[key]), key).toBe(true);
    // The attempt log went with its delivery.
    expect(await db.deliveryAttempt.count({ where: { delivery_id: made["completed-old"] } })).toBe(0);
    const inbound = (await db.inboundEvent.findMany({ where: { source_id: source.id }, select: { source_event_id: true } }))
      .map((e) => e.source_event_id)
      .sort();
    expect(inbound).toEqual(["new-0", "new-1", "new-2", "old-2"]);
    expect(await db.event.count()).toBe(eventsBefore);
  });
});
