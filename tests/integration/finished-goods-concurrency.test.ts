import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { parseEventPayload } from "@/lib/events/catalogue";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import * as listRoute from "@/app/api/finished-goods/route";
import * as deductRoute from "@/app/api/finished-goods/[metrc]/deduct/route";
import * as packRoute from "@/app/api/finished-goods/[metrc]/pack/route";
import { mutate } from "@/lib/db/mutate";
import { ApiError } from "@/lib/http/errors";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { takeGrams } from "@/lib/domain/finished-goods/move-grams";

/**
 * SPEC §2: concurrent deducts never double-count and inventory never goes negative. 100 requests
 * run at once through the real route handler (the same code path Next runs: auth, zod, mutate,
 * the one conditional update) against one package.
 */

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

async function createPackage(grams: number) {
  const res = await call(listRoute.POST, {
    method: "POST",
    path: "/api/finished-goods/",
    headers: p.headers.apiKey,
    body: buildFinishedGood({ grams }),
  });
  expect(res.status).toBe(201);
  return res.json.package.metrc_number as string;
}

function deduct(metrc: string, body: unknown, headers: Record<string, string>) {
  return call(deductRoute.POST, { method: "POST", path: `/api/finished-goods/${metrc}/deduct`, params: { metrc }, headers, body });
}

async function deductEvents(metrc: string) {
  const rows = await db.event.findMany({ where: { type: "finished_good.deducted" }, orderBy: { id: "asc" } });
  return rows.map((r) => parseEventPayload("finished_good.deducted", r.payload)).filter((e) => e.metrc_number === metrc);
}

describe("concurrent deducts", () => {
  it("100 parallel deducts of 1.5 g from 100 g: exactly 66 succeed, 34 get 409, 1.0 g left, still active", async () => {
    const metrc = await createPackage(100);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        deduct(metrc, { grams: 1.5, reason: `sale ${i}` }, i % 2 ? p.headers.operator : p.headers.apiKey),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(66);
    expect(refused).toHaveLength(34);
    for (const r of refused) {
      expect(r.json).toMatchObject({ error: "Insufficient grams available", code: "insufficient_grams" });
      expect(r.json.details.available_grams).toBe(1);
    }
    // Every success saw a distinct balance: no two spent the same grams.
    const balances = ok.map((r) => r.json.current_grams as number).sort((a, b) => b - a);
    expect(new Set(balances).size).toBe(66);
    expect(balances[0]).toBe(98.5);
    expect(balances.at(-1)).toBe(1);
    for (const r of ok) expect(r.json.previous_grams - r.json.current_grams).toBeCloseTo(1.5, 9);

    const fg = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } });
    expect(fg.current_grams).toBe(1);
    expect(fg.status).toBe("active");
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: metrc, change_type: "deduct" } })).toBe(66);
    const events = await deductEvents(metrc);
    expect(events).toHaveLength(66);
    expect(events.reduce((sum, e) => sum + e.grams, 0)).toBe(99);
  });

  it("ending at exactly 0 g: 100 parallel deducts of 0.3 g from 15 g → 50 succeed, 0 g, depleted", async () => {
    const metrc = await createPackage(15);
    const results = await Promise.all(Array.from({ length: 100 }, () => deduct(metrc, { grams: 0.3 }, p.headers.apiKey)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(50);
    expect(results.filter((r) => r.status === 409)).toHaveLength(50);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const fg = await db.finishedGoodHistory.findFirstOrThrow({ where: { metrc_number: metrc }, orderBy: { id: "desc" } });
    expect(fg).toMatchObject({ current_grams: 0, status: "depleted" });
    expect(await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } })).toMatchObject({
      current_grams: 0,
      status: "depleted",
    });
  });

  it("parallel deducts and packs share one balance", async () => {
    const metrc = await createPackage(20);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? deduct(metrc, { grams: 1 }, p.headers.apiKey)
          : call(packRoute.POST, {
              method: "POST",
              path: `/api/finished-goods/${metrc}/pack`,
              params: { metrc },
              headers: p.headers.apiKey,
              body: { grams: 1 },
            }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(20);
    const fg = await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } });
    expect(fg.current_grams).toBe(0);
    const packs = results.filter((r, i) => i % 2 === 0 && r.status === 200).length;
    expect(fg.grams_packed).toBe(packs);
  });
});

describe("the balance check is the conditional update itself", () => {
  it("a balance read earlier in the transaction does not decide: a competing write in between is seen", async () => {
    const metrc = await createPackage(100);
    const ctx = { actor: "test", traceId: "trace-conditional", source: "test" };
    const attempt = mutate(ctx, async (m) => {
      const stale = await loadFinishedGood(m.tx, metrc);
      expect(stale.current_grams).toBe(100);
      // What a competing deduct would have committed between a read and a write.
      await m.tx.finishedGood.update({ where: { metrc_number: metrc }, data: { current_grams: 1 } });
      await takeGrams(m, metrc, 1.5);
      await m.emit("test.ping", { message: "unreachable" });
    });
    await expect(attempt).rejects.toBeInstanceOf(ApiError);
    await expect(attempt).rejects.toMatchObject({ status: 409, message: "Insufficient grams available", details: { available_grams: 1 } });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } })).current_grams).toBe(100); // rolled back
  });
});

describe("Idempotency-Key on deduct", () => {
  it("a retry with the same key is replayed and applies the deduct once", async () => {
    const metrc = await createPackage(10);
    const headers = { ...p.headers.apiKey, "idempotency-key": `deduct-${metrc}` };
    const first = await deduct(metrc, { grams: 2.5, reason: "order 17" }, headers);
    const retry = await deduct(metrc, { grams: 2.5, reason: "order 17" }, headers);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(first.json).toMatchObject({ previous_grams: 10, current_grams: 7.5, deducted_grams: 2.5 });
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } })).current_grams).toBe(7.5);
    expect(await db.finishedGoodHistory.count({ where: { metrc_number: metrc, change_type: "deduct" } })).toBe(1);
    expect(await deductEvents(metrc)).toHaveLength(1);

    const reused = await deduct(metrc, { grams: 1 }, headers);
    expect(reused.status).toBe(409);
    expect(reused.json.code).toBe("idempotency_key_reused");
  });

  it("concurrent retries with one key apply the deduct once", async () => {
    const metrc = await createPackage(10);
    const headers = { ...p.headers.apiKey, "idempotency-key": `deduct-parallel-${metrc}` };
    const results = await Promise.all(Array.from({ length: 5 }, () => deduct(metrc, { grams: 1 }, headers)));
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect((await db.finishedGood.findUniqueOrThrow({ where: { metrc_number: metrc } })).current_grams).toBe(9);
  });
});
