import { startIdReceiver, type IdReceiver } from "@/tests/helpers/id-receiver";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { emitTagged, taggedWebhook } from "@/tests/helpers/tagged-webhook";
import { startEventLoop } from "@/lib/events/delivery/loop";
import { deliveryStore } from "@/lib/events/delivery/store";

/**
 * The delivery loop's slots (loop.ts): a finished attempt frees its slot at once, not when its
 * record commits, so senders do not wait on the database's round trip; and at most twice
 * `concurrency` deliveries are claimed and not yet recorded, which bounds what a crash can
 * deliver twice. The records are held back on purpose to see both bounds. Engine-neutral: both
 * test projects run it.
 */

let receiver: IdReceiver;
let received: number[];

beforeAll(async () => {
  receiver = await startIdReceiver();
  ({ received } = receiver);
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

async function until(ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) await sleep(5);
}

describe("delivery loop slots", () => {
  it("finished attempts free their slots before their record commits, up to twice `concurrency` unrecorded", async () => {
    const tag = `slots-${Date.now()}`;
    await taggedWebhook(receiver.url, tag, { max_attempts: 3 });
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
