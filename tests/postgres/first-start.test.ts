import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient, db } from "@/lib/db/client";
import { systemContext } from "@/lib/context";
import { claimDemoSeed, createDefaultSetting, createFirstAdmin } from "@/lib/domain/users/first-start";

/**
 * Several processes starting on one empty database at once (web + worker, N instances): each
 * first-start decision is taken inside its transaction, so it happens once. Two connections stand
 * for two processes; their reads race, their writes are serialised by mutate's write lock. (On
 * PostgreSQL: two SQLite connections in one process cannot overlap — better-sqlite3 waits for a
 * lock synchronously, blocking the very transaction it waits for.)
 */

const a = createPrismaClient();
const b = createPrismaClient();
afterAll(async () => {
  await a.$disconnect();
  await b.$disconnect();
});

describe("first start, twice at once", () => {
  it("one first admin", async () => {
    const ctx = systemContext("bootstrap", "cli");
    const results = await Promise.all([
      createFirstAdmin(ctx, { username: "first", passwordHash: "x" }, a),
      createFirstAdmin(ctx, { username: "second", passwordHash: "y" }, b),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await db.user.count()).toBe(1);
    expect(await db.event.count({ where: { type: "user.created" } })).toBe(1);
  });

  it("one write of a default setting, one demo seed claim", async () => {
    const ctx = systemContext("bootstrap", "cli");
    expect(
      (
        await Promise.all([createDefaultSetting(ctx, "test_alert_hours", 48, a), createDefaultSetting(ctx, "test_alert_hours", 48, b)])
      ).sort(),
    ).toEqual([false, true]);
    expect((await Promise.all([claimDemoSeed(ctx, a), claimDemoSeed(ctx, b)])).sort()).toEqual([false, true]);
    expect(await claimDemoSeed(ctx)).toBe(false); // and never again
  });

  it("no demo seed after a switch-over from PreRollTracker", async () => {
    await db.setting.deleteMany({ where: { key: "demo_seeded" } });
    await db.setting.create({ data: { key: "legacy_import", value: { at: new Date().toISOString() } } });
    expect(await claimDemoSeed(systemContext("bootstrap", "cli"))).toBe(false);
  });
});
