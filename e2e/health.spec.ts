import { expect, test } from "@playwright/test";

/**
 * Liveness and readiness of the running app (`npm start`: web + worker). Readiness waits for the
 * worker's first heartbeat, so it is polled.
 */
test("liveness answers at once; readiness turns 200 once the worker beats", async ({ request }) => {
  const live = await request.get("/api/health");
  expect(live.status()).toBe(200);
  expect(await live.json()).toMatchObject({ status: "ok", version: expect.any(String) });

  await expect
    .poll(async () => (await request.get("/api/health?ready=1")).status(), { timeout: 30_000, intervals: [500, 1000, 2000] })
    .toBe(200);
  const ready = await (await request.get("/api/health?ready=1")).json();
  expect(ready.checks).toMatchObject({
    database: { ok: true },
    migrations: { ok: true, pending: [] },
    worker: { ok: true },
    disk: { ok: true },
  });
});
