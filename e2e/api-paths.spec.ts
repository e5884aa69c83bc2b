import { expect, test } from "@playwright/test";

/** ApexAPI calls some contract paths with a trailing slash: both spellings answer directly. */
test("contract paths answer with and without a trailing slash, without redirects", async ({ request }) => {
  for (const path of ["/api/version", "/api/version/"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(200);
    expect(await res.json()).toEqual({ version: expect.any(String) });
  }
  const anonymous = await request.get("/api/data/", { maxRedirects: 0 });
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toMatchObject({ error: "Authentication required", code: "unauthorized" });
});
