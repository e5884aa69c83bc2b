import type { APIRequestContext, Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, serverJson, serverPost, snapshot, test } from "./fixtures";

/**
 * Desk pages for records and configuration: the audit trail (search, keyset paging), the
 * settings (a setting changed through the form, seen through the API and in the audit trail;
 * Pushover secrets kept when the form is saved untouched) and the admin part of /inventory
 * (paper thresholds, other supplies with their bill of materials), which operators never see.
 */

/**
 * axe on the page as it rests: the pointer moved off the button just clicked, whose hover colour
 * (the UI kit's primary hover, green-600 under white text) is not what the page shows at rest.
 */
async function checkA11y(page: Page) {
  await page.mouse.move(0, 0);
  await expectNoSeriousA11yViolations(page);
}

const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

type AuditRow = { id: number; batch: string; strain: string | null; field: string; new: string | null; entity: string };

async function put(request: APIRequestContext, baseURL: string, url: string, data: unknown) {
  const res = await request.put(url, { data, headers: { origin: baseURL } });
  expect(res.ok(), `PUT ${url}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.json();
}

test.describe("admin at the desk", () => {
  test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

  test("audit: search a strain, page back to older changes and forward again", async ({ page, baseURL }, testInfo) => {
    test.setTimeout(60_000);
    const strain = unique("E2E Audit");
    const { batch } = await serverPost(page.request, baseURL!, "/api/batches", { strain, input_grams: 3000, stage: 2, planned_0_5: 3000 });
    // 25 count updates of three sizes: well over one page (50) of audit rows for this strain.
    for (let i = 1; i <= 25; i++) {
      await serverPost(page.request, baseURL!, `/api/batch/${batch.id}/counts`, {
        counts_0_5: i * 10,
        counts_0_7: i * 5,
        counts_1_0: i * 2,
      });
    }
    const onServer = await serverJson<AuditRow[]>(page.request, `/api/audit?entity=all&q=${encodeURIComponent(strain)}&limit=120`);
    expect(onServer.length).toBeGreaterThan(60);

    await page.goto("/audit");
    await expect(page.getByRole("heading", { level: 1, name: "Audit trail" })).toBeVisible();
    await page.getByRole("searchbox", { name: "Search" }).fill(strain);
    await page.getByRole("button", { name: "Search" }).click();
    const rows = page.getByTestId("audit-row");
    await expect(rows.first()).toHaveAttribute("data-audit-id", String(onServer[0].id));
    await expect(rows).toHaveCount(50);
    await expect(rows.first()).toContainText(strain);
    await expect(page.getByRole("button", { name: "Newer" })).toBeDisabled();
    await checkA11y(page);
    await snapshot(page, testInfo, "audit-search");

    await page.getByRole("button", { name: "Older" }).click();
    // The next page starts right after the 50th row, newest first (keyset on id).
    await expect(rows.first()).toHaveAttribute("data-audit-id", String(onServer[50].id));
    await expect(rows).toHaveCount(Math.min(50, onServer.length - 50));
    await expect(page.getByText("Page 2 back")).toBeVisible();
    for (const row of await rows.all()) await expect(row).toContainText(strain);

    await page.getByRole("button", { name: "Newer" }).click();
    await expect(rows.first()).toHaveAttribute("data-audit-id", String(onServer[0].id));

    // A filter from a list applies at once: settings only.
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Entity").selectOption("setting");
    await expect(rows.filter({ hasText: strain })).toHaveCount(0);
    await expect(rows.first().or(page.getByText("No changes match"))).toBeVisible();
    for (const row of await rows.all()) await expect(row).toContainText("Settings");
  });

  test("settings: a changed value is saved, shown by GET /api/settings and listed in the audit trail; validation under the fields", async ({
    page,
  }, testInfo) => {
    await page.goto("/settings");
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    const before = await serverJson<{ test_alert_hours: number }>(page.request, "/api/settings");
    const hours = before.test_alert_hours === 36 ? 30 : 36;

    // Client-side rule (the server's zod schema): the shares must add up to 100.
    await page.getByLabel("0.5g share (%)").fill("50");
    await page.getByRole("button", { name: "Save production settings" }).click();
    await expect(page.getByText("Allocation percentages must add up to 100")).toBeVisible();
    await page.getByLabel("0.5g share (%)").fill("40");

    await page.getByLabel("Test alert (hours)").fill(String(hours));
    await page.getByRole("button", { name: "Save production settings" }).click();
    await expect(page.getByText("Production settings saved")).toBeVisible();
    await expect
      .poll(async () => (await serverJson<{ test_alert_hours: number }>(page.request, "/api/settings")).test_alert_hours)
      .toBe(hours);
    await expect(page.getByTestId("settings-trail")).toContainText("test_alert_hours");
    await checkA11y(page);
    await snapshot(page, testInfo, "settings");

    // A rule only the server knows (critical ≤ warning): its field message lands under the field.
    await page.getByLabel("Critical below (g)").fill("999999");
    await page.getByRole("button", { name: "Save Pushover settings" }).click();
    await expect(page.getByText(/Must be at most warning_grams/)).toBeVisible();

    await page.getByRole("link", { name: "Full audit trail of settings" }).click();
    await expect(page).toHaveURL(/\/audit\?entity=setting/);
    const row = page.getByTestId("audit-row").filter({ hasText: "test_alert_hours" }).first();
    await expect(row).toContainText(String(hours));
    await expect(row).toContainText("admin");
  });

  test("settings: Pushover keys are never shown and stay stored when the form is saved without touching them", async ({
    page,
    baseURL,
  }) => {
    const userKey = "uE2eUserKey0000000000000009Zq1";
    const appToken = "aE2eAppToken00000000000000Xy7K";
    await page.goto("/settings");
    const initial = await serverJson<{ has_user_key: boolean }>(page.request, "/api/pushover/settings");
    if (!initial.has_user_key) {
      // Send test without a key: the server's message in a toast.
      await page.getByRole("button", { name: "Send test" }).click();
      await expect(page.getByText("Pushover user key is not configured")).toBeVisible();
    }
    await page.getByLabel("User key", { exact: true }).fill(userKey);
    await page.getByLabel("App token", { exact: true }).fill(appToken);
    await page.getByRole("button", { name: "Save Pushover settings" }).click();
    await expect(page.getByText("Pushover settings saved")).toBeVisible();
    const saved = await serverJson(page.request, "/api/pushover/settings");
    expect(saved).toMatchObject({ has_user_key: true, has_app_token: true, user_key: "••••9Zq1", key_source: "settings" });

    await page.reload();
    await expect(page.getByLabel("User key", { exact: true })).toHaveValue("");
    await expect(page.getByLabel("App token", { exact: true })).toHaveValue("");
    await expect(page.getByText("Stored: ••••9Zq1")).toBeVisible();
    expect(await page.content()).not.toContain(userKey);
    expect(await page.content()).not.toContain(appToken);

    // Save with the key fields untouched: only the grams change, the keys stay.
    await page.getByLabel("Warning below (g)").fill("750");
    await page.getByRole("button", { name: "Save Pushover settings" }).click();
    await expect(page.getByText("Pushover settings saved")).toBeVisible();
    const after = await serverJson(page.request, "/api/pushover/settings");
    expect(after).toMatchObject({ warning_grams: 750, has_user_key: true, has_app_token: true, user_key: "••••9Zq1" });
    const settings = await serverJson<{ pushover: { user_key: string } }>(page.request, "/api/settings");
    expect(settings.pushover.user_key).toBe("••••9Zq1");

    // Clean up for other specs: no keys stored.
    await put(page.request, baseURL!, "/api/pushover/settings", { user_key: null, app_token: null, warning_grams: 500 });
  });

  test("inventory (admin part): a paper threshold and a new supply with its bill of materials", async ({ page }, testInfo) => {
    await page.goto("/inventory");
    await expect(page.getByRole("heading", { name: "Paper and cone settings" })).toBeVisible();
    const before = await serverJson<{ inventory: { alert_thresholds: Record<string, number> } }>(page.request, "/api/inventory/");
    const threshold = before.inventory.alert_thresholds["0_7"] === 7 ? 8 : 7;
    await page.getByLabel("0.7g low-stock threshold (boxes)").fill(String(threshold));
    await page.getByRole("button", { name: "Save paper settings" }).click();
    await expect(page.getByText(/Inventory settings updated/)).toBeVisible();
    await expect.poll(async () => (await serverJson(page.request, "/api/inventory/")).inventory.alert_thresholds["0_7"]).toBe(threshold);

    const name = unique("E2E tips");
    const kind = `tip_${Date.now().toString(36)}`;
    await page.getByRole("button", { name: "Add supply" }).click();
    const dialog = page.getByRole("dialog", { name: "Add supply" });
    await dialog.getByLabel("Name", { exact: true }).fill(name);
    await dialog.getByLabel("Kind", { exact: true }).fill(kind);
    await dialog.getByLabel("Unit", { exact: true }).fill("tips");
    await dialog.getByLabel("Units per box").fill("500");
    await dialog.getByLabel("Boxes on the shelf").fill("3");
    await dialog.getByLabel("Per 0.5g").fill("1");
    await dialog.getByLabel("Per 1.0g").fill("1");
    await dialog.getByRole("button", { name: "Add supply" }).click();
    await expect(dialog).toBeHidden();
    const card = page.getByTestId("supply-card").filter({ hasText: name });
    await expect(card).toContainText("1,500 tips");
    await expect(card).toContainText("1 per 0.5g pre-roll, 1 per 1.0g pre-roll");
    const { supplies } = await serverJson<{ supplies: { name: string; kind: string; total_units: number; bom: unknown[] }[] }>(
      page.request,
      "/api/supplies",
    );
    expect(supplies.find((s) => s.name === name)).toMatchObject({
      kind,
      total_units: 1500,
      bom: [
        { applies_to: "unit_0_5", quantity: 1 },
        { applies_to: "unit_1_0", quantity: 1 },
      ],
    });
    await checkA11y(page);
    await snapshot(page, testInfo, "inventory-admin");
  });
});

test.describe("operator", () => {
  test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ operatorStorageState }, provide) => provide(operatorStorageState) });

  test("does not see the admin part of /inventory, nor the settings", async ({ page }) => {
    await page.goto("/inventory");
    await expect(page.getByRole("heading", { name: "0.5g papers" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Save 0.5g count" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Paper and cone settings" })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Other supplies" })).toHaveCount(0);
    await page.goto("/settings");
    await expect(page.getByText("Settings are for admins only")).toBeVisible();
    await expect(page.getByRole("button", { name: /Save/ })).toHaveCount(0);
  });
});
