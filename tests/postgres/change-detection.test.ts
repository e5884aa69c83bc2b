import { startIdReceiver } from "@/tests/helpers/id-receiver";
import { afterAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { databaseUrl, db } from "@/lib/db/client";
import { mutate, WRITE_LOCK_KEY } from "@/lib/db/mutate";
import { dataVersion, memoByDataVersion } from "@/lib/db/data-version";
import { CHANGES_CHANNEL, pgChangesState, stopPgChanges } from "@/lib/db/pg-changes";
import { loopChangeVersion, onLoopChange } from "@/lib/events/delivery/changes";
import { startEventLoop } from "@/lib/events/delivery/loop";
import { openEventStream } from "@/lib/events/sse";
import { createSubscriber } from "@/lib/events/subscribers/service";
import { systemContext } from "@/lib/context";
import { logger } from "@/lib/log";
import { AppProcess } from "@/tests/helpers/app-process";

/**
 * Change detection on PostgreSQL (issue [12] item 3): commits by another connection reach this
 * process's memoised reads and the delivery loop's wake-up through LISTEN/NOTIFY within 1 s; a
 * dropped listener falls back to time buckets with one warning, and comes back.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(10);
  }
}

async function raw(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  return client;
}

/** Another connection commits an event by SQL, bypassing `mutate` (the trigger takes the lock and notifies). */
async function insertEventElsewhere(type = "setting.updated", payload: object = { key: "elsewhere" }): Promise<number> {
  const client = await raw();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`);
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO events (type, payload, actor, trace_id, source, created_at)
       VALUES ($1, $2::jsonb, 'test', 't', 'test', now()) RETURNING id`,
      [type, JSON.stringify(payload)],
    );
    await client.query("COMMIT");
    return rows[0].id;
  } finally {
    await client.end();
  }
}

let computed = 0;
const eventCount = () =>
  memoByDataVersion("test:event-count", async () => {
    computed++;
    return db.event.count();
  });

async function listening(): Promise<void> {
  dataVersion(); // starts the listener lazily
  expect(await until(() => pgChangesState().connected, Boolean, 5_000)).toBe(true);
}

afterAll(async () => {
  await stopPgChanges();
  await db.$disconnect();
});

describe("PostgreSQL change detection (LISTEN/NOTIFY)", () => {
  it("mutate notifies with its last event id, on commit only", async () => {
    const listener = await raw();
    const payloads: string[] = [];
    listener.on("notification", (msg) => msg.channel === CHANGES_CHANNEL && payloads.push(msg.payload ?? ""));
    await listener.query(`LISTEN ${CHANGES_CHANNEL}`);
    try {
      let open!: () => void;
      const barrier = new Promise<void>((resolve) => (open = resolve));
      let emitted!: () => void;
      const bothEmitted = new Promise<void>((resolve) => (emitted = resolve));
      const ids = mutate(systemContext("change-test"), async (m) => {
        const a = await m.emit("setting.updated", { key: "a" });
        const b = await m.emit("setting.updated", { key: "b" });
        emitted();
        await barrier;
        return [a.id, b.id];
      });
      await bothEmitted;
      await sleep(200);
      expect(payloads).toEqual([]); // still open: nothing delivered
      open();
      const [, last] = await ids;
      expect(
        await until(
          () => payloads,
          (p) => p.length > 0,
          1_000,
        ),
      ).toEqual([String(last)]);
    } finally {
      await listener.end();
    }
  });

  it("another connection's commit reaches this process's memoised read and the loop's wake-up within 1 s", async () => {
    await listening();
    const before = await eventCount();
    const computedBefore = computed;
    expect(await eventCount()).toBe(before);
    expect(computed).toBe(computedBefore); // memoised between commits: no query

    const loopVersion = loopChangeVersion();
    let woken = 0;
    const off = onLoopChange(() => woken++);
    try {
      const started = Date.now();
      const id = await insertEventElsewhere();
      expect(await until(eventCount, (n) => n === before + 1, 1_000)).toBe(before + 1);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(woken).toBeGreaterThan(0);
      expect(loopChangeVersion()).not.toBe(loopVersion);
      expect(pgChangesState().lastEventId).toBeGreaterThanOrEqual(id);
    } finally {
      off();
    }
  });

  it("mutate in another process (no Redis: only NOTIFY carries it) reaches this process's memoised read within 1 s", async () => {
    const other = await AppProcess.start("pg-notify-other", { REDIS_URL: "" });
    try {
      await listening();
      const before = await eventCount();
      const { at } = await other.commit("from another process");
      const seen = await until(eventCount, (n) => n === before + 1, 1_000);
      expect(seen).toBe(before + 1);
      expect(Date.now() - at).toBeLessThan(1_000);
    } finally {
      await other.stop();
    }
  });

  it("a dropped listener: one warning, time-bucket fallback, then it reconnects and notifications work again", async () => {
    await listening();
    const warn = vi.spyOn(logger, "warn");
    try {
      const { pid } = pgChangesState();
      const admin = await raw();
      try {
        await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      } finally {
        await admin.end();
      }
      // The drop is seen, warned about once, and memos fall back to short time buckets.
      expect(
        await until(
          () => warn.mock.calls.length,
          (n) => n > 0,
          2_000,
        ),
      ).toBe(1);
      expect(String(warn.mock.calls[0][1])).toMatch(/change notifications unavailable/);
      expect(dataVersion()).toMatch(/^t/);
      const n = await eventCount();
      const c = computed;
      await sleep(300); // a 250 ms bucket later the memo is recomputed, without any notification
      expect(await eventCount()).toBe(n);
      expect(computed).toBeGreaterThan(c);

      // Back-off reconnects on a new backend, and notifications work again.
      const state = await until(pgChangesState, (s) => s.connected, 5_000);
      expect(state.connected).toBe(true);
      expect(state.pid).not.toBe(pid);
      expect(dataVersion()).toMatch(/^p/);
      await eventCount(); // memoised at the current version
      await insertEventElsewhere();
      expect(await until(eventCount, (v) => v === n + 1, 1_000)).toBe(n + 1);
      expect(warn.mock.calls.filter((call) => /change notifications/.test(String(call[1])))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  // Under load the loop's first look can outlast the 200 ms below, so the commit lands during a
  // look; its wake-ups must not be lost then (tests/integration/delivery-loop.test.ts pins both).
  it("an idle delivery loop is woken by another connection's commit (no polling) and delivers within 1 s", async () => {
    const receiver = await startIdReceiver();
    const { received } = receiver;
    const tag = `wake-${Date.now()}`;
    await createSubscriber(systemContext("admin", "web"), {
      name: `hook-${tag}`,
      event_types: "sync.*",
      filter: { "payload.requested_at": tag },
      kind: "webhook",
      config: { url: receiver.url, timeout_ms: 5000 },
      ordered: false,
      max_attempts: 3,
      active: true,
    });
    await listening();
    // Neither the interval nor the idle poll fires during the test: only a notification can wake it.
    const stop = startEventLoop("pg-wake-worker", { intervalMs: 60_000, idlePollMs: 60_000 });
    try {
      await sleep(200); // the loop's first look is done; it is idle
      const committed = Date.now();
      const id = await insertEventElsewhere("sync.requested", { requested_at: tag });
      expect(
        await until(
          () => received,
          (r) => r.length > 0,
          1_000,
        ),
      ).toEqual([id]);
      expect(Date.now() - committed).toBeLessThan(1_000);
    } finally {
      await stop();
      await receiver.close();
    }
  });

  it("the SSE hub reads another connection's commit on its notification, not at its next poll", async () => {
    await listening();
    const head = (await db.event.aggregate({ _max: { id: true } }))._max.id ?? 0;
    const abort = new AbortController();
    const response = openEventStream({ after: head, signal: abort.signal, options: { pollMs: 60_000, heartbeatMs: 60_000 } });
    const reader = response.body!.getReader();
    let text = "";
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    try {
      await sleep(200); // backlog read, hub at its head
      const committed = Date.now();
      const id = await insertEventElsewhere();
      expect(
        await until(
          () => text,
          (t) => t.includes(`id: ${id}\n`),
          1_000,
        ),
      ).toContain(`id: ${id}\n`);
      expect(Date.now() - committed).toBeLessThan(1_000);
    } finally {
      abort.abort();
      await reader.cancel().catch(() => undefined);
      await reading.catch(() => undefined);
    }
  });
});
