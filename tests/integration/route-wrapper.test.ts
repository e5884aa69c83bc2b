import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { route } from "@/lib/http/route";
import { requestHash } from "@/lib/http/idempotency";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { createApiKey, createUser } from "@/prisma/seed/user";
import { buildBatch } from "@/prisma/seed/batch";
import { sessionHeaders } from "@/tests/helpers/http";
import * as batchesRoute from "@/app/api/batches/route";
import * as dataRoute from "@/app/api/data/route";
import * as countsRoute from "@/app/api/batch/[id]/counts/route";
import { writeAsCommit } from "@/tests/helpers/direct-write";

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
});

const create = (headers: Record<string, string>, body: unknown = buildBatch()) =>
  call(batchesRoute.POST, { method: "POST", path: "/api/batches", headers, body });

describe("authentication", () => {
  it("401s without credentials and with a wrong, revoked or expired key, in the error shape", async () => {
    const revoked = await createApiKey(db, { name: "old", revoked: true });
    const expired = await createApiKey(db, { name: "expired" });
    await db.apiKey.update({ where: { id: expired.id }, data: { expires_at: new Date(Date.now() - 1000) } });
    for (const headers of [
      {} as Record<string, string>,
      { "x-api-key": "prt_wrongwrongwrongwrongwrong" },
      { "x-api-key": revoked.key },
      { "x-api-key": expired.key },
    ]) {
      const res = await call(dataRoute.GET, { path: "/api/data", headers });
      expect(res.status).toBe(401);
      expect(typeof res.json.error).toBe("string");
      expect(typeof res.json.code).toBe("string");
    }
  });

  it("accepts several active keys at once and records when a key was last used", async () => {
    const second = await createApiKey(db, { name: "Second" });
    expect((await call(dataRoute.GET, { path: "/api/data", headers: { "x-api-key": p.key.key } })).status).toBe(200);
    expect((await call(dataRoute.GET, { path: "/api/data", headers: { "x-api-key": second.key } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: second.id } })).last_used_at).not.toBeNull();
  });

  it("stores keys hashed: the secret is nowhere in the database", async () => {
    const rows = await db.apiKey.findMany();
    for (const r of rows) expect(JSON.stringify(r)).not.toContain(p.key.key);
  });

  it("ends a session when the user is deactivated or their password changes", async () => {
    const user = await createUser(db, { role: "operator" });
    const headers = await sessionHeaders(user);
    expect((await call(dataRoute.GET, { path: "/api/data", headers })).status).toBe(200);
    await writeAsCommit(() => db.user.update({ where: { id: user.id }, data: { session_version: { increment: 1 } } }));
    expect((await call(dataRoute.GET, { path: "/api/data", headers })).status).toBe(401);
  });

  it("refuses session mutations from another origin; API keys need no Origin", async () => {
    const foreign = await create({ ...p.headers.operator, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.json.code).toBe("cross_origin");
    const noOrigin = await create({ cookie: p.headers.operator.cookie });
    expect(noOrigin.status).toBe(403);
    expect((await create(p.headers.apiKey)).status).toBe(201);
  });

  it("403s a viewer on a write", async () => {
    const res = await create(p.headers.viewer);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe("forbidden");
  });
});

describe("input", () => {
  it("400s malformed JSON, wrong types, unknown fields and bad METRC numbers with field details, changing nothing", async () => {
    const before = await db.batch.count();
    const cases: { body?: unknown; raw?: string; field?: string }[] = [
      { raw: "{not json" },
      { body: { strain: "X", input_grams: "lots" }, field: "input_grams" },
      { body: { strain: "X", input_grams: 100, colour: "green" } },
      { body: { strain: "X", input_grams: 100, origin_metrc_number: "1A4-too-short" }, field: "origin_metrc_number" },
      { body: { strain: "X", input_grams: 100, thc_percent: 140 }, field: "thc_percent" },
      { body: { strain: "X", input_grams: 100, centrifuge_rpm: 4000 }, field: "centrifuge_rpm" },
      { body: [1, 2, 3] },
    ];
    for (const c of cases) {
      const res = await call(batchesRoute.POST, {
        method: "POST",
        path: "/api/batches",
        headers: { ...p.headers.apiKey, "content-type": "application/json" },
        body: c.body,
        rawBody: c.raw,
      });
      expect(res.status, JSON.stringify(c)).toBe(400);
      expect(typeof res.json.error).toBe("string");
      if (c.field) expect(res.json.details.fields[c.field], JSON.stringify(res.json)).toBeDefined();
    }
    expect(await db.batch.count()).toBe(before);
  });

  it("413s a body over 16 MB, declared or not", async () => {
    const big = "x".repeat(16 * 1024 * 1024 + 10);
    const res = await call(batchesRoute.POST, {
      method: "POST",
      path: "/api/batches",
      headers: p.headers.apiKey,
      rawBody: JSON.stringify({ strain: big, input_grams: 1 }),
    });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ error: "File too large (max 16 MB)", code: "payload_too_large" });
  });

  it("answers 500 without a stack trace and rolls the whole change back", async () => {
    const failing = route({ auth: "key|session", role: "operator", body: z.strictObject({}) }, async ({ ctx }) =>
      mutate(ctx, async (m) => {
        await m.tx.batch.create({ data: { strain: "Ghost", input_grams: 1 } });
        await m.emit("test.ping", { message: "before the crash" });
        throw new Error("boom at /secret/path.ts:42");
      }),
    );
    const res = await call(failing, { method: "POST", path: "/api/test", headers: p.headers.apiKey, body: {} });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: "An internal error occurred", code: "internal_error" });
    expect(res.text).not.toContain("secret");
    expect(await db.batch.count({ where: { strain: "Ghost" } })).toBe(0);
    expect(await db.event.count({ where: { type: "test.ping" } })).toBe(0);
  });

  it("puts a trace id on the response, the audit rows and the event", async () => {
    const res = await create(p.headers.apiKey);
    const traceId = res.headers.get("x-trace-id")!;
    expect(traceId).toMatch(/^[\w-]{8,64}$/);
    const event = await db.event.findFirst({ where: { trace_id: traceId } });
    expect(event?.type).toBe("batch.created");
    expect(await db.auditLog.count({ where: { trace_id: traceId } })).toBeGreaterThan(0);
  });
});

describe("Idempotency-Key", () => {
  it("a retry returns the first response and changes nothing", async () => {
    const headers = { ...p.headers.apiKey, "idempotency-key": "create-once-1" };
    const body = buildBatch({ strain: "Idem Kush" });
    const first = await create(headers, body);
    const retry = await create(headers, body);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await db.batch.count({ where: { strain: "Idem Kush" } })).toBe(1);
  });

  it("the same key with a different body is a 409", async () => {
    const headers = { ...p.headers.apiKey, "idempotency-key": "create-once-2" };
    await create(headers, buildBatch({ strain: "A" }));
    const res = await create(headers, buildBatch({ strain: "B" }));
    expect(res.status).toBe(409);
    expect(res.json.code).toBe("idempotency_key_reused");
  });

  it("concurrent retries of one count update apply it once", async () => {
    const created = await create(p.headers.apiKey);
    const id = created.json.batch.id;
    const headers = { ...p.headers.apiKey, "idempotency-key": "counts-once" };
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(countsRoute.POST, { method: "POST", path: `/api/batch/${id}/counts`, params: { id }, headers, body: { add_0_5: 25 } }),
      ),
    );
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect((await db.batch.findUniqueOrThrow({ where: { id } })).counts_0_5).toBe(25);
  });

  describe("records outlive a tablet's longest time offline", () => {
    const HOUR = 3600_000;
    afterEach(() => {
      vi.useRealTimers();
      delete process.env.IDEMPOTENCY_TTL_HOURS;
    });

    it("by default a replay six days later still gets the first answer and changes nothing; after eight days the key is forgotten", async () => {
      const headers = { ...p.headers.apiKey, "idempotency-key": "offline-week" };
      const body = buildBatch({ strain: "Offline Week" });
      const first = await create(headers, body);
      expect(first.status).toBe(201);
      const record = await db.idempotencyRecord.findFirstOrThrow({ where: { key: "offline-week" } });
      expect(record.expires_at.getTime() - record.created_at.getTime()).toBe(7 * 24 * HOUR);

      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 6 * 24 * HOUR });
      const replay = await create(headers, body);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(replay.json).toEqual(first.json);
      expect(await db.batch.count({ where: { strain: "Offline Week" } })).toBe(1);

      vi.setSystemTime(Date.now() + 2 * 24 * HOUR);
      const late = await create(headers, body);
      expect(late.status).toBe(201);
      expect(late.headers.get("idempotent-replayed")).toBeNull();
      expect(await db.batch.count({ where: { strain: "Offline Week" } })).toBe(2);
    });

    it("IDEMPOTENCY_TTL_HOURS sets how long", async () => {
      process.env.IDEMPOTENCY_TTL_HOURS = "48";
      await create({ ...p.headers.apiKey, "idempotency-key": "ttl-48" });
      const record = await db.idempotencyRecord.findFirstOrThrow({ where: { key: "ttl-48" } });
      expect(record.expires_at.getTime() - record.created_at.getTime()).toBe(48 * HOUR);
    });
  });

  it("'still in flight' and 'applied, answer lost' have their own codes, apart from business conflicts", async () => {
    const created = await create(p.headers.apiKey);
    const id = created.json.batch.id;
    const path = `/api/batch/${id}/counts`;
    const body = { add_0_5: 5 };
    const principal = `api_key:${p.key.id}`;
    const send = (key: string) =>
      call(countsRoute.POST, { method: "POST", path, params: { id }, headers: { ...p.headers.apiKey, "idempotency-key": key }, body });
    const record = (key: string, status_code: number | null, ageMs: number) =>
      db.idempotencyRecord.create({
        data: {
          principal,
          key,
          method: "POST",
          path,
          request_hash: requestHash("POST", path, JSON.stringify(body)),
          status_code,
          created_at: new Date(Date.now() - ageMs),
          expires_at: new Date(Date.now() + 3600_000),
        },
      });

    await record("running", null, 1_000);
    const running = await send("running");
    expect(running.status).toBe(409);
    expect(running.json.code).toBe("request_in_progress");
    expect(running.headers.get("retry-after")).toBe("1");

    await record("committed", 0, 120_000);
    const lost = await send("committed");
    expect(lost.status).toBe(409);
    expect(lost.json.code).toBe("idempotent_response_lost");

    // Neither ran the change again.
    expect((await db.batch.findUniqueOrThrow({ where: { id } })).counts_0_5).toBe(0);
  });

  it("keys are per caller: another key holder's identical key runs separately", async () => {
    const other = await createApiKey(db, { name: "Other" });
    const body = buildBatch({ strain: "Per Caller" });
    await create({ ...p.headers.apiKey, "idempotency-key": "shared" }, body);
    await create({ "x-api-key": other.key, "idempotency-key": "shared" }, body);
    expect(await db.batch.count({ where: { strain: "Per Caller" } })).toBe(2);
  });
});

describe("mutate()", () => {
  it("refuses unknown event types and bad payloads, rolling back the change", async () => {
    const ctx = { actor: "test", traceId: "trace-test-1", source: "test" };
    await expect(
      mutate(ctx, async (m) => {
        await m.tx.batch.create({ data: { strain: "Rollback", input_grams: 1 } });
        await m.emit("batch.nope" as never, {} as never);
      }),
    ).rejects.toThrow(/Unknown event type/);
    await expect(
      mutate(ctx, async (m) => {
        await m.tx.batch.create({ data: { strain: "Rollback", input_grams: 1 } });
        await m.emit("batch.created", { batch_id: 1 } as never);
      }),
    ).rejects.toThrow(/Invalid payload/);
    await expect(mutate(ctx, async (m) => m.tx.batch.create({ data: { strain: "Rollback", input_grams: 1 } }))).rejects.toThrow(
      /must emit/,
    );
    expect(await db.batch.count({ where: { strain: "Rollback" } })).toBe(0);
  });

  it("writes the envelope {id, type, payload, metadata:{timestamp, actor, traceId, source}}", async () => {
    const ctx = { actor: "tester", traceId: "trace-envelope", source: "cli" };
    const envelope = await mutate(ctx, (m) => m.emit("test.ping", { message: "hi" }));
    expect(envelope).toMatchObject({
      type: "test.ping",
      payload: { message: "hi" },
      metadata: { actor: "tester", traceId: "trace-envelope", source: "cli" },
    });
    expect(typeof envelope.id).toBe("number");
    const row = await db.event.findUniqueOrThrow({ where: { id: envelope.id } });
    expect(row.created_at.toISOString()).toBe(envelope.metadata.timestamp);
  });
});
