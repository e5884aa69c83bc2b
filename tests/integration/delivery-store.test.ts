import { afterEach, describe, expect, it } from "vitest";
import { deliveryStore } from "@/lib/events/delivery/store";
import { sqliteDeliveryStore } from "@/lib/events/delivery/store/sqlite";
import { postgresDeliveryStore } from "@/lib/events/delivery/store/postgres";

/**
 * Which delivery store the worker gets (lib/events/delivery/store/index.ts). The steps themselves
 * are exercised through the worker in webhook-delivery.test.ts and delivery-fault.test.ts, the
 * PostgreSQL store's in tests/integration/delivery-store-postgres.test.ts.
 */

describe("deliveryStore()", () => {
  let savedUrl: string | undefined;
  afterEach(() => {
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
    savedUrl = undefined;
  });

  it("is the store of the test database's engine, and answers on it", async () => {
    const expected = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL!) ? postgresDeliveryStore : sqliteDeliveryStore;
    expect(deliveryStore()).toBe(expected);
    expect(await deliveryStore().claimDue({ workerId: "store-test" })).toEqual([]);
    expect(await deliveryStore().renewLeases(["no-such-delivery"], "store-test", new Date())).toBe(0);
  });

  it("is the SQLite store for a file: DATABASE_URL (chosen without opening it)", () => {
    savedUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "file:/nonexistent-dir/preroll.db";
    expect(deliveryStore()).toBe(sqliteDeliveryStore);
  });

  it("is the PostgreSQL store for a postgresql:// DATABASE_URL (chosen without connecting)", () => {
    savedUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgresql://preroll@127.0.0.1:1/preroll";
    expect(deliveryStore()).toBe(postgresDeliveryStore);
  });
});
