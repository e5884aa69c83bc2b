import { startIdReceiver, type IdReceiver } from "@/tests/helpers/id-receiver";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { databaseUrl, db, isPostgresUrl } from "@/lib/db/client";
import { changeToken, pgChangesState } from "@/lib/db/pg-changes";
import { emitTagged, taggedWebhook } from "@/tests/helpers/tagged-webhook";
import { startEventLoop } from "@/lib/events/delivery/loop";
import { deliveryStore } from "@/lib/events/delivery/store";
import { loopChangeVersion } from "@/lib/events/delivery/changes";

/**
 * The delivery loop (loop.ts), against a local receiver. Engine-neutral: both test projects run it.
 *
 * Wake-ups that come while it is not waiting (between its look at the queue and its wait): a
 * commit (on PostgreSQL its notification too) and stop(). Each case makes that moment happen on
 * purpose and sets the interval and idle poll far beyond the test, so only the wake-up itself can
 * move the loop on; before the fix the loop slept through both (the change-detection wake-up
 * test's 30 s hangs).
 *
 * Slots: a finished attempt frees its slot at once, not when its record commits, so senders do
 * not wait on the database's round trip; and at most twice `concurrency` deliveries are claimed
 * and not yet recorded, which bounds what a crash can deliver twice. The records are held back on
 * purpose to see both bounds.
 */

let receiver: IdReceiver;
let received: number[];
let url: string;

beforeAll(async () => {
  receiver = await startIdReceiver();
  ({ received, url } = receiver);
  if (isPostgresUrl(databaseUrl())) {
    changeToken(); // starts the LISTEN connection: commits then move the loop's version at once
    await until(() => pgChangesState().connected, 5_000);
  }
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(async () => {
  await db.subscriber.updateMany({ data: { active: false } });
  received.length = 0;
  vi.restoreAllMocks();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NEVER = 60_000; // neither the interval nor the idle poll fires within a test

async function until(ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) await sleep(5);
}

const subscriber = (tag: string) => taggedWebhook(url, tag, { max_attempts: 3 });
const emit = emitTagged;

describe("delivery loop wake-ups that arrive while it is not waiting", () => {
  it("a commit between the loop's empty look and its wait wakes it (no poll, no interval)", async () => {
    const tag = `between-${Date.now()}`;
    await subscriber(tag);
    const store = deliveryStore();
    const relayPage = store.relayPage.bind(store);
    const claimDue = store.claimDue.bind(store);
    let relayedNothing = false;
    let committed: { id: number; at: number; versions: [string, string] } | null = null;
    vi.spyOn(store, "relayPage").mockImplementation(async (...args) => {
      const page = await relayPage(...args);
      relayedNothing = page.events.length === 0;
      return page;
    });
    // The commit lands after the loop's relay looked and found nothing, and before it waits.
    vi.spyOn(store, "claimDue").mockImplementation(async (options) => {
      const jobs = await claimDue(options);
      if (relayedNothing && jobs.length === 0 && !committed) {
        const before = loopChangeVersion();
        const id = await emit(tag);
        // PostgreSQL: its notification, too, comes in before the loop waits.
        if (isPostgresUrl(databaseUrl())) await until(() => pgChangesState().lastEventId >= id, 2_000);
        committed = { id, at: Date.now(), versions: [before, loopChangeVersion()] };
      }
      return jobs;
    });
    const stop = startEventLoop("between-worker", { intervalMs: NEVER, idlePollMs: NEVER });
    try {
      await until(() => received.length > 0, 2_000);
      expect(committed).not.toBeNull();
      const { id, at, versions } = committed!;
      expect(versions[1]).not.toBe(versions[0]); // the loop can tell that something committed
      expect(received).toEqual([id]);
      expect(Date.now() - at).toBeLessThan(1_000);
    } finally {
      await stop();
    }
  });

  it("stop() while the loop is between its look and its wait resolves at once", async () => {
    const stop = startEventLoop("stop-worker", { intervalMs: NEVER, idlePollMs: NEVER });
    // Called synchronously: the loop's first look is under way, it is not waiting yet.
    const asked = Date.now();
    await stop();
    expect(Date.now() - asked).toBeLessThan(1_000);
  });
});

describe("delivery loop slots", () => {
  it("finished attempts free their slots before their record commits, up to twice `concurrency` unrecorded", async () => {
    const tag = `slots-${Date.now()}`;
    await taggedWebhook(url, tag, { max_attempts: 3 });
    // Every record waits for the gate (the attempts themselves are not held).
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const store = deliveryStore();
    const recordAttempts = store.recordAttempts.bind(store);
    const recordAndClaim = store.recordAndClaim.bind(store);
    let recordsAsked = 0;
    vi.spyOn(store, "recordAttempts").mockImplementation(async (...args) => {
      recordsAsked++;
      await gate;
      return recordAttempts(...args);
    });
    vi.spyOn(store, "recordAndClaim").mockImplementation(async (...args) => {
      recordsAsked++;
      await gate;
      return recordAndClaim(...args);
    });
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(await emitTagged(tag));

    const stop = startEventLoop("slots-worker", { concurrency: 2, batch: 2, intervalMs: 100, idlePollMs: 20 });
    try {
      // With no record done, 4 attempts (2 × concurrency) run: 2 would mean slots wait for records.
      await until(() => received.length >= 4, 5_000);
      await sleep(300); // a fifth would arrive now
      expect(received).toHaveLength(4);
      expect(recordsAsked).toBeGreaterThan(0);
      open();
      await until(() => received.length >= ids.length, 5_000);
      expect([...received].sort((a, b) => a - b)).toEqual(ids);
    } finally {
      open();
      await stop();
    }
    const rows = await db.delivery.groupBy({ by: ["status"], where: { event_id: { in: ids } }, _count: { _all: true } });
    expect(rows.map((r) => [r.status, r._count._all])).toEqual([["completed", ids.length]]);
  });
});
