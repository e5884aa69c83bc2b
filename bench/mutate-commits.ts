/**
 * Single-event `mutate` commits/s (`tsx bench/mutate-commits.ts --count=N --concurrency=C`), on the
 * database of DATABASE_URL (a migrated scratch database; bench/delivery.mjs runs this for SQLite
 * and for PostgreSQL). Each call is the real `mutate` emitting one `sync.requested` event: on
 * PostgreSQL that is the write lock, the event insert and the `pg_notify` in one transaction; on
 * SQLite BEGIN IMMEDIATE and the insert. C loops call it back to back (C > 1: writers queue on
 * the lock). Prints one JSON line: commits, seconds, perSecond, p50/p95/p99 ms per call.
 */
import { parseArgs } from "node:util";
import { createPrismaClient } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "1" },
    warmup: { type: "string", default: "100" },
  },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const warmup = Number(values.warmup);

const client = createPrismaClient();
const ctx = systemContext("bench", "system");
let n = 0;
const commitOne = () => mutate(ctx, (m) => m.emit("sync.requested", { requested_at: `bench-${++n}` }), client);

async function run(total: number, latencies: number[] | null): Promise<void> {
  let started = 0;
  const loop = async () => {
    while (started < total) {
      started++;
      const t0 = performance.now();
      await commitOne();
      latencies?.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

async function main(): Promise<void> {
  await run(warmup, null);
  const latencies: number[] = [];
  const t0 = performance.now();
  await run(count, latencies);
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  console.log(
    JSON.stringify({ commits: count, concurrency, seconds, perSecond: count / seconds, p50: q(0.5), p95: q(0.95), p99: q(0.99) }),
  );
  await client.$disconnect();
}

// No top-level await: tsx loads this file as CommonJS. Exit explicitly, since a PostgreSQL LISTEN
// connection (if mutate's notify started one) would keep the process up.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
