import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

/**
 * /api-docs renders the OpenAPI document with the bundled Swagger UI (no CDN): a signed-in admin
 * sees the reference, including a contract operation ApexAPI depends on, reached from "More".
 */
test.describe("API reference", () => {
  test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

  test("a signed-in admin opens /api-docs and sees the apex-calculate operation", async ({ page }) => {
    const external: string[] = [];
    page.on("request", (req) => {
      const url = new URL(req.url());
      if (!["localhost", "127.0.0.1"].includes(url.hostname) && url.protocol.startsWith("http")) external.push(req.url());
    });
    await page.goto("/api-docs");
    await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
    // Tags start folded, as a reader scans them: open the finished-goods group.
    await page.getByRole("heading", { name: "finished-goods", exact: true }).click({ timeout: 30_000 });
    await expect(page.getByText("/api/finished-goods/{metrc}/apex-calculate").first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    expect(external, "the reference loads nothing from outside").toEqual([]);
  });
});
