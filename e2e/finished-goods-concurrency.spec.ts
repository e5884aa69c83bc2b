import { request as playwrightRequest } from "@playwright/test";
import { expect, test } from "./fixtures";

/**
 * Issue [3]'s acceptance test, over real HTTP against the production server: 100 parallel deducts
 * against one package end at exactly the expected balance, with exactly the expected 409s.
 */
test.describe("finished goods under concurrent deducts", () => {
  test.use({ storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

  test("100 parallel deducts over HTTP: exact balance, exact number of 409s", async ({ request, baseURL }) => {
    // An API key, created by the admin the way ApexAPI's key is.
    const created = await request.post("/api/api-keys", { data: { name: `e2e-${Date.now()}` }, headers: { origin: baseURL! } });
    expect(created.status()).toBe(201);
    const apiKey: string = (await created.json()).api_key;
    const apex = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { "x-api-key": apiKey } });

    const metrc = `1A4060300E2E${String(Date.now()).slice(-12)}`;
    const pkg = await apex.post("/api/finished-goods/", { data: { metrc_number: metrc, strain: "Concurrency Kush", grams: 100 } });
    expect(pkg.status()).toBe(201);

    // 100 × 1.5 g against 100 g: 66 fit (99 g), 34 must be refused, 1.0 g stays.
    const results = await Promise.all(
      Array.from({ length: 100 }, () => apex.post(`/api/finished-goods/${metrc}/deduct`, { data: { grams: 1.5, reason: "e2e" } })),
    );
    const statuses = results.map((r) => r.status());
    expect(statuses.filter((s) => s === 200)).toHaveLength(66);
    expect(statuses.filter((s) => s === 409)).toHaveLength(34);
    const refused = await results.find((r) => r.status() === 409)!.json();
    expect(refused).toMatchObject({ error: "Insufficient grams available", code: "insufficient_grams" });

    const after = await (await apex.get(`/api/finished-goods/${metrc}`)).json();
    expect(after).toMatchObject({ metrc_number: metrc, current_grams: 1, status: "active" });
    const history = await (await apex.get(`/api/finished-goods/${metrc}/history`)).json();
    expect(history.history.filter((h: { change_type: string }) => h.change_type === "deduct")).toHaveLength(66);
    await apex.dispose();
  });
});
