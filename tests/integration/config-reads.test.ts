import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { resetConfig } from "@/lib/config/env";
import { relayAll } from "@/lib/events/relay";
import { claimDue } from "@/lib/events/delivery/worker";
import { createSubscriber } from "@/lib/events/subscribers/service";
import { eventStreamOptions } from "@/lib/events/sse";
import { idempotencyTtlMs } from "@/lib/http/idempotency";
import { readBackupConfig } from "@/lib/domain/backups/config";
import { defaultPollingIntervalSeconds } from "@/lib/events/sources/schemas";

/**
 * Modules read the one parsed configuration (lib/config/env.ts `config()`), so a variable has one
 * default and a changed environment (a test, a restart) reaches every reader.
 */

const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  resetConfig();
});

describe("readers follow it", () => {
  it("event stream, idempotency, backups and polling take their values and defaults from it", () => {
    delete process.env.EVENTS_SSE_MAX_MS;
    process.env.EVENTS_SSE_HEARTBEAT_MS = "1234";
    expect(eventStreamOptions()).toMatchObject({ heartbeatMs: 1234, maxMs: 30 * 60_000, pageSize: 500 });
    delete process.env.IDEMPOTENCY_TTL_HOURS;
    expect(idempotencyTtlMs()).toBe(168 * 3_600_000);
    process.env.IDEMPOTENCY_TTL_HOURS = "48";
    expect(idempotencyTtlMs()).toBe(48 * 3_600_000);
    process.env.BACKUP_KEEP = "3";
    process.env.BACKUP_INTERVAL_HOURS = "0.5";
    expect(readBackupConfig()).toMatchObject({ keep: 3, keepDaily: 7, intervalHours: 0.5 });
    process.env.EVENT_POLLING_INTERVAL = "90";
    expect(defaultPollingIntervalSeconds()).toBe(90);
  });

  it("a claimed delivery is leased for DELIVERY_LEASE_MS (30 s, as documented), wherever it is claimed", async () => {
    const tag = `lease-${Math.random().toString(36).slice(2)}`;
    await db.subscriber.updateMany({ data: { active: false } });
    await createSubscriber(systemContext("admin", "web"), {
      name: `hook-${tag}`,
      event_types: "sync.*",
      filter: { "payload.requested_at": tag },
      kind: "webhook",
      config: { url: "http://127.0.0.1:9/hook", timeout_ms: 5000 },
      ordered: false,
      max_attempts: 8,
      active: true,
    });
    await mutate(systemContext("tester", "cli"), (m) => m.emit("sync.requested", { requested_at: tag }));
    await relayAll();
    const now = new Date();
    const [claim] = await claimDue(db, { workerId: "lease-test", now, limit: 1 });
    expect(claim).toBeDefined();
    const row = await db.delivery.findUniqueOrThrow({ where: { id: claim.id } });
    expect(row.locked_until!.getTime() - now.getTime()).toBe(30_000);
  });
});
