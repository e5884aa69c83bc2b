import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { createSubscriber } from "@/lib/events/subscribers/service";

/**
 * Crash recovery with real worker processes (`tsx worker/index.ts`, as `npm start` runs it) on
 * this file's database: a worker is killed with SIGKILL in the middle of 2 000 deliveries, a
 * second one takes over once the dead one's leases (2 s here) run out. Every event must reach the
 * receiver; the only duplicates allowed are deliveries the dead worker had claimed and not yet
 * recorded — at most twice its concurrency (loop.ts: a finished attempt frees its slot before its
 * record commits).
 */

const EVENTS = 2000;
const CONCURRENCY = 64;
const LEASE_MS = 2000;
const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/** webhook-id → times received. */
const received = new Map<string, number>();
let total = 0;
let server: http.Server;
let url: string;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-fault-"));
const workers: ChildProcess[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["webhook-id"]);
      received.set(id, (received.get(id) ?? 0) + 1);
      total++;
      // A little latency, so that the kill finds requests in flight.
      setTimeout(() => res.end("ok"), Math.floor(Math.random() * 4));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) killGroup(w, "SIGKILL");
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(scratch, { recursive: true, force: true });
});

function startWorker(name: string): ChildProcess {
  const log = fs.openSync(path.join(scratch, `${name}.log`), "a");
  const child = spawn(TSX, ["worker/index.ts"], {
    cwd: ROOT,
    // Its own process group: SIGKILL reaches tsx's node child too, as a crash would.
    detached: true,
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      PREROLL_PROCESS: "worker",
      LOG_LEVEL: "warn",
      DELIVERY_LEASE_MS: String(LEASE_MS),
      DELIVERY_CONCURRENCY: String(CONCURRENCY),
      DELIVERY_BATCH: "32",
      INBOX_DIR: path.join(scratch, `inbox-${name}`),
      BACKUP_DIR: path.join(scratch, `backups-${name}`),
    },
  });
  workers.push(child);
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("delivery after a worker crash", () => {
  it("a SIGKILLed worker's deliveries all arrive via the next worker, with duplicates bounded by what was in flight", async () => {
    const { subscriber } = await createSubscriber(systemContext("admin", "web"), {
      name: "fault-receiver",
      event_types: "sync.requested",
      filter: null,
      kind: "webhook",
      config: { url, timeout_ms: 5000 },
      ordered: false,
      max_attempts: 8,
      active: true,
    });
    const eventIds: number[] = [];
    for (let i = 0; i < EVENTS; i += 200) {
      const ids = await mutate(systemContext("tester", "cli"), async (m) => {
        const out: number[] = [];
        for (let j = i; j < i + 200; j++) out.push((await m.emit("sync.requested", { requested_at: `fault-${j}` })).id);
        return out;
      });
      eventIds.push(...ids);
    }

    const first = startWorker("first");
    await until(() => received.size >= 600, 30_000, "the first worker to deliver 600");
    killGroup(first, "SIGKILL");
    await exited(first);
    const receivedAtKill = received.size;
    // What the dead worker had claimed and not recorded: the only deliveries that may arrive twice.
    const orphaned = await db.delivery.count({ where: { subscriber_id: subscriber.id, status: "processing" } });
    expect(receivedAtKill).toBeLessThan(EVENTS); // it really died mid-run
    expect(orphaned).toBeLessThanOrEqual(2 * CONCURRENCY);

    const second = startWorker("second");
    await until(() => received.size >= EVENTS, 40_000, "every event to arrive");
    await until(
      async () => (await db.delivery.count({ where: { subscriber_id: subscriber.id, status: "completed" } })) === EVENTS,
      10_000,
      "every delivery to be recorded completed",
    );

    expect(new Set(received.keys())).toEqual(new Set(eventIds.map((id) => `${id}_${subscriber.id}`)));
    const duplicates = total - received.size;
    expect(duplicates).toBeLessThanOrEqual(orphaned);
    // Each delivery has one attempt row per POST that was recorded; none is left leased.
    expect(await db.delivery.count({ where: { subscriber_id: subscriber.id, locked_by: { not: null } } })).toBe(0);

    // A graceful stop: SIGTERM, the loop drains, the process exits on its own.
    const stopped = Date.now();
    killGroup(second, "SIGTERM");
    await exited(second);
    expect(Date.now() - stopped).toBeLessThan(15_000);
    expect(await db.delivery.count({ where: { status: "processing" } })).toBe(0);
  }, 90_000);
});
