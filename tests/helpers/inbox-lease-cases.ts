import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createPrismaClient, databaseUrl, db, type Db } from "@/lib/db/client";
import { INBOX_LEASE_NAME, inboxNeedsLease, startLeasedInboxWatcher, type LeasedInboxWatcher } from "@/lib/events/inbox/inbox-lease";
import type { PublishResult } from "@/lib/events/inbox/watch-inbox";

/**
 * The inbox watcher runs in one worker only (issue [12] Build 5): two watcher instances, each
 * with its own database client, on one database and one inbox folder. Shared by the SQLite file
 * (tests/integration/inbox-lease.test.ts) and its PostgreSQL twin (tests/postgres/).
 */

const LEASE_MS = 900;
const STABILITY_MS = 150;

async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function inboxLeaseCases(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-inbox-lease-"));
  const clients: Db[] = [];
  const running: LeasedInboxWatcher[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((w) => w.stop()));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.$disconnect()));
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A worker's watcher: its own client (another process's connection), results collected. */
  function worker(ownerId: string, dir: string) {
    const client = createPrismaClient(databaseUrl());
    clients.push(client);
    const results: PublishResult[] = [];
    const w = startLeasedInboxWatcher({
      ownerId,
      dir,
      client,
      leaseMs: LEASE_MS,
      stabilityMs: STABILITY_MS,
      onFile: (r) => results.push(r),
    });
    running.push(w);
    return { w, results, published: () => results.filter((r) => r.status === "published") };
  }
  const announced = (file: string) =>
    db.event.findMany({ where: { type: "file.received" } }).then((es) => es.filter((e) => (e.payload as { path: string }).path === file));
  const leaseRow = () => db.job.findUnique({ where: { name: INBOX_LEASE_NAME } });

  describe("the inbox lease", () => {
    it("is needed on PostgreSQL or with more than one instance, and not for one SQLite instance", () => {
      const postgres = /^postgres/.test(databaseUrl());
      expect(inboxNeedsLease()).toBe(postgres);
      process.env.INSTANCES = "2";
      process.env.REDIS_URL = "redis://127.0.0.1:6379";
      try {
        expect(inboxNeedsLease()).toBe(true);
      } finally {
        delete process.env.INSTANCES;
        delete process.env.REDIS_URL;
      }
    });

    it("lets one of two workers watch: only it announces a dropped file; after it dies the other takes over within the lease time", async () => {
      const dir = fs.mkdtempSync(path.join(root, "inbox-"));
      const a = worker("host-a:1:aaaa", dir);
      await until(() => a.w.watching(), "worker A to take the lease");
      const b = worker("host-b:2:bbbb", dir);
      await sleep(LEASE_MS); // B has tried (at start and every third of the lease) and lost
      expect(b.w.watching()).toBe(false);
      expect(await leaseRow()).toMatchObject({ lease_owner: "host-a:1:aaaa" });

      const first = path.join(dir, "counts-1.csv");
      fs.writeFileSync(first, "size,count\n1.0,5\n");
      await until(() => a.published().length === 1, "A to announce the file");
      await sleep(STABILITY_MS * 3);
      expect(b.results).toEqual([]);
      expect(await announced(first)).toHaveLength(1);

      // A dies: it stops watching and never releases (a SIGKILL leaves the lease to expire).
      const died = Date.now();
      await a.w.stop({ release: false });
      await until(() => b.w.watching(), "worker B to take over", LEASE_MS * 3);
      const tookOver = Date.now() - died;
      // Not before the lease ran out (A last renewed up to a third of it before dying) …
      expect(tookOver).toBeGreaterThanOrEqual((LEASE_MS * 2) / 3 - 100);
      // … and within the lease plus one try (+ slack for a loaded machine).
      expect(tookOver).toBeLessThan(LEASE_MS + LEASE_MS / 3 + 600);
      expect(await leaseRow()).toMatchObject({ lease_owner: "host-b:2:bbbb" });

      // B's initial scan sees the waiting file (already announced, unanswered: not again) and the new one.
      const second = path.join(dir, "counts-2.csv");
      fs.writeFileSync(second, "size,count\n1.0,6\n");
      await until(() => b.published().length === 1, "B to announce the new file");
      expect(b.published()[0].path).toBe(second);
      expect(await announced(first)).toHaveLength(1);
      expect(await announced(second)).toHaveLength(1);
    });

    it("is released by a graceful stop, so the next worker takes it at its first try", async () => {
      const dir = fs.mkdtempSync(path.join(root, "inbox-"));
      const a = worker("host-a:3:cccc", dir);
      await until(() => a.w.watching(), "worker A to take the lease");
      await a.w.stop();
      expect(await leaseRow()).toMatchObject({ lease_owner: null, lease_until: null });
      const started = Date.now();
      const c = worker("host-c:4:dddd", dir);
      await until(() => c.w.watching(), "worker C to take the lease");
      expect(Date.now() - started).toBeLessThan(LEASE_MS / 2);
    });
  });
}
