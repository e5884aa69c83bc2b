import type { APIRequestContext, Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, serverJson, serverPost, snapshot, test } from "./fixtures";

/**
 * The finished-goods desk pages as a manager uses them: a package made through the New package
 * form, then deducted by units, packed, ordered and completed, overridden and cleared — each step
 * checked on the server and in the package's history; wholesale holds made and released.
 */

test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

const suffix = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.toUpperCase();
/** A unique 24-character METRC tag. */
const uniqueTag = () => `1A4E2E${suffix()}`.slice(0, 24).padEnd(24, "0");

type PackageJson = {
  metrc_number: string;
  strain: string;
  initial_grams: number;
  current_grams: number;
  status: string;
  grams_ordered: number;
  grams_packed: number;
  grams_fulfilled: number;
  physical_grams_override: number | null;
  apex_auto_inventory: 0 | 1;
  apex_sku_settings: Record<string, { excluded: boolean; manual_units: number | null }>;
  custom_skus: Record<string, { name: string; grams_per_unit: number }> | null;
};
type HistoryJson = {
  history: { change_type: string; actor: string | null; source: string | null; reason: string | null; details: Record<string, unknown> }[];
};

const packageOnServer = (request: APIRequestContext, metrc: string) => serverJson<PackageJson>(request, `/api/finished-goods/${metrc}`);
const historyOnServer = (request: APIRequestContext, metrc: string) =>
  serverJson<HistoryJson>(request, `/api/finished-goods/${metrc}/history`);

/** Fills and submits one of the package's grams dialogs. */
async function submitAmount(page: Page, opener: string, fields: Record<string, string>, submit: string) {
  await page.getByRole("button", { name: opener, exact: true }).click();
  const dialog = page.getByRole("dialog");
  for (const [label, value] of Object.entries(fields)) await dialog.getByLabel(label, { exact: true }).fill(value);
  await dialog.getByRole("button", { name: submit, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test("a package from the New package form: deduct by units, pack, complete an order, override and clear, all in the history", async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const strain = `E2E FG ${suffix()}`;
  const metrc = uniqueTag();

  await page.goto("/finished-goods");
  await expect(page.getByRole("heading", { level: 1, name: "Finished goods" })).toBeVisible();
  await expect(page.getByTestId("package-card").first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await snapshot(page, testInfo, "finished-goods");

  // New package: a short tag is refused next to the field before anything is sent.
  await page.getByRole("button", { name: "New package" }).click();
  const form = page.getByRole("dialog", { name: "New package" });
  const tagField = form.getByLabel("METRC number");
  await tagField.fill("1A4E2E123");
  await form.getByLabel("Strain").fill(strain);
  await form.getByLabel("Initial grams").fill("100");
  await form.getByRole("button", { name: "Create package" }).click();
  await expect(tagField).toHaveAttribute("aria-invalid", "true");
  await expect(tagField).toHaveAccessibleDescription(/24 upper-case letters or digits/);
  await tagField.fill(metrc.toLowerCase());
  await form.getByRole("button", { name: "Create package" }).click();

  await expect(page).toHaveURL(`/finished-goods/${metrc}`);
  await expect(page.getByRole("heading", { level: 1, name: strain })).toBeVisible();
  expect(await packageOnServer(page.request, metrc)).toMatchObject({ strain, initial_grams: 100, current_grams: 100 });

  // Deduct 10 units of 1.0 g singles: 10 g.
  await page.getByRole("button", { name: `Deduct from ${strain} (${metrc})` }).click();
  const deduct = page.getByRole("dialog");
  await deduct.getByLabel("Units of a size").check();
  await deduct.getByLabel("Units", { exact: true }).fill("10");
  await deduct.getByLabel("Unit size").selectOption("1.0g");
  await deduct.getByLabel("Reason").fill("E2E sample pull");
  await deduct.getByRole("button", { name: "Deduct", exact: true }).click();
  await expect(deduct).toBeHidden();
  await expect.poll(async () => (await packageOnServer(page.request, metrc)).current_grams).toBe(90);

  // Pack 20 g: off the shelf into packed.
  await submitAmount(page, `Pack ${strain} (${metrc})`, { Grams: "20" }, "Pack");
  await expect.poll(async () => (await packageOnServer(page.request, metrc)).grams_packed).toBe(20);
  expect((await packageOnServer(page.request, metrc)).current_grams).toBe(70);

  // Order 15 g, then complete it: reservation gone, fulfilled up, shelf down.
  await submitAmount(page, "Order", { Grams: "15" }, "Reserve");
  await expect.poll(async () => (await packageOnServer(page.request, metrc)).grams_ordered).toBe(15);
  await submitAmount(page, "Complete order", { Grams: "15", "Order ID": "E2E-ORDER-1" }, "Complete order");
  await expect
    .poll(async () => {
      const pkg = await packageOnServer(page.request, metrc);
      return [pkg.current_grams, pkg.grams_ordered, pkg.grams_fulfilled];
    })
    .toEqual([55, 0, 15]);

  // Physical override: set, then clear.
  await page.getByLabel("Physical grams").fill("50");
  await page.getByLabel("Override reason").fill("E2E shelf count");
  await page.getByRole("button", { name: "Set override" }).click();
  await expect(page.getByTestId("override-state")).toContainText("50 g counted on the shelf");
  expect((await packageOnServer(page.request, metrc)).physical_grams_override).toBe(50);
  await snapshot(page, testInfo, "finished-goods-detail-override");
  await page.getByRole("button", { name: "Clear override" }).click();
  await expect(page.getByTestId("override-state")).toContainText("No override");
  expect((await packageOnServer(page.request, metrc)).physical_grams_override).toBeNull();

  // Every step is in the timeline, by the admin, manual (web).
  const timeline = page.getByRole("list", { name: "Changes, newest first" });
  for (const text of [
    "Created",
    "Deducted · −10 g · 10 × 1.0g",
    "Packed · −20 g",
    "Order placed",
    "Order completed",
    "Physical override",
  ]) {
    await expect(timeline.getByText(text, { exact: false }).first()).toBeVisible();
  }
  await expect(timeline.getByText("“E2E sample pull”")).toBeVisible();
  const history = (await historyOnServer(page.request, metrc)).history;
  expect(history.map((h) => h.change_type)).toEqual(["override", "override", "complete_order", "order", "pack", "deduct", "created"]);
  expect(history.every((h) => h.actor === "admin" && h.source === "web")).toBe(true);
  expect(history.find((h) => h.change_type === "deduct")).toMatchObject({
    reason: "E2E sample pull",
    details: { units: 10, unit_size: "1.0g" },
  });
  expect(history.find((h) => h.change_type === "complete_order")?.details).toMatchObject({ order_id: "E2E-ORDER-1" });
  expect(history.filter((h) => h.change_type === "override").map((h) => h.details.physical_grams_override)).toEqual([null, 50]);

  // Apex auto inventory on.
  // By keyboard: a pointer left hovering the button would tint it while axe measures contrast.
  await page.getByRole("button", { name: "Apex auto inventory: off" }).press("Enter");
  await expect(page.getByRole("button", { name: "Apex auto inventory: on" })).toHaveAttribute("aria-pressed", "true");
  expect(await packageOnServer(page.request, metrc)).toMatchObject({ apex_auto_inventory: 1 });
  // Per-SKU settings: exclude the 12-pack, list 10 singles by hand; then a custom SKU.
  await page.getByLabel("Exclude 12-Pack Magnetic Box").check();
  await page.getByLabel("Manual units for 0.5g Singles").fill("10");
  await page.getByRole("button", { name: "Save SKU settings" }).click();
  await expect
    .poll(async () => (await packageOnServer(page.request, metrc)).apex_sku_settings)
    .toEqual({ magnetic_box_12pk: { excluded: true, manual_units: null }, singles_0_5g: { excluded: false, manual_units: 10 } });
  await page.getByLabel("SKU name").fill("E2E Dart 0.8g");
  await page.getByLabel("Grams per unit").fill("0.8");
  await page.getByRole("button", { name: "Add custom SKU" }).click();
  await expect(page.getByRole("button", { name: "Remove custom SKU E2E Dart 0.8g" })).toBeVisible();
  expect((await packageOnServer(page.request, metrc)).custom_skus).toMatchObject({
    e2e_dart_0_8g: { name: "E2E Dart 0.8g", grams_per_unit: 0.8 },
  });

  await expectNoSeriousA11yViolations(page);
  await snapshot(page, testInfo, "finished-goods-detail");

  // Back on the list, the search finds it by strain.
  await page.goto("/finished-goods");
  await page.getByLabel("Search by METRC or strain").fill(strain);
  await expect(page.getByTestId("package-card")).toHaveCount(1);
  await expect(page.getByTestId("package-card")).toContainText("55 g");
});

test("wholesale: a hold too big shows the server's limit in the form; a hold made and released", async ({ page, baseURL }, testInfo) => {
  const strain = `E2E Wholesale ${suffix()}`;
  const metrc = uniqueTag();
  await serverPost(page.request, baseURL!, "/api/finished-goods/", { metrc_number: metrc, strain, grams: 100 });

  await page.goto("/wholesale");
  await expect(page.getByRole("heading", { level: 1, name: "Wholesale" })).toBeVisible();
  await page.getByLabel("Filter strains").fill(strain);
  await page.getByRole("button", { name: `Hold 0.5g Singles of ${strain} ${metrc}` }).click();
  const dialog = page.getByRole("dialog", { name: "Hold 0.5g Singles" });
  const quantity = dialog.getByLabel("Quantity (units)");
  // 100 g make 200 singles of 0.5 g.
  await quantity.fill("1000");
  await dialog.getByRole("button", { name: "Hold", exact: true }).click();
  await expect(quantity).toHaveAccessibleDescription("Only 200 units available (requested 1000)");
  await snapshot(page, testInfo, "wholesale-hold-too-many");

  await quantity.fill("20");
  await dialog.getByLabel("Notes").fill("E2E customer order");
  await dialog.getByRole("button", { name: "Hold", exact: true }).click();
  await expect(dialog).toBeHidden();

  const holds = (await serverJson(page.request, `/api/wholesale/holds?metrc_number=${metrc}`)).holds;
  expect(holds).toHaveLength(1);
  expect(holds[0]).toMatchObject({ metrc_number: metrc, sku_name: "0.5g Singles", quantity: 20, notes: "E2E customer order" });
  const row = page.getByTestId("hold-row").filter({ hasText: metrc });
  await expect(row).toContainText("E2E customer order");
  await expect(row).toContainText(strain);
  // 20 singles held = 10 g: 180 singles of 0.5 g left.
  const inventory = await serverJson(page.request, "/api/wholesale/inventory");
  const pkg = inventory.strains
    .flatMap((s: { packages: { metrc_number: string }[] }) => s.packages)
    .find((p: { metrc_number: string }) => p.metrc_number === metrc);
  expect(pkg.skus["0.5g Singles"]).toMatchObject({ available: 180, held: 20 });

  await expectNoSeriousA11yViolations(page);
  await snapshot(page, testInfo, "wholesale");

  // While the hold exists the package cannot be archived, and its page says why.
  await page.goto(`/finished-goods/${metrc}`);
  await expect(page.getByTestId("holds-rule")).toContainText("1 hold is active on this package");
  await expect(page.getByRole("button", { name: "Archive", exact: true })).toBeDisabled();
  await page.goto("/wholesale");

  await row.getByRole("button", { name: /^Release hold/ }).click();
  await page.getByRole("dialog", { name: "Release this hold?" }).getByRole("button", { name: "Release hold" }).click();
  await expect(row).toHaveCount(0);
  expect((await serverJson(page.request, `/api/wholesale/holds?metrc_number=${metrc}`)).holds).toEqual([]);
  // The package's history has both.
  const history = (await historyOnServer(page.request, metrc)).history.map((h) => h.change_type);
  expect(history.slice(0, 2)).toEqual(["wholesale_release", "wholesale_hold"]);

  // With no hold left the package can be archived, and restored.
  await page.goto(`/finished-goods/${metrc}`);
  await expect(page.getByTestId("holds-rule")).toContainText("none active now");
  await page.getByRole("button", { name: "Archive", exact: true }).click();
  await page.getByRole("dialog", { name: "Archive this package?" }).getByRole("button", { name: "Archive" }).click();
  await expect.poll(async () => (await packageOnServer(page.request, metrc)).status).toBe("archived");
  await page.getByRole("button", { name: "Restore", exact: true }).click();
  await page.getByRole("dialog", { name: "Restore this package?" }).getByRole("button", { name: "Restore" }).click();
  await expect.poll(async () => (await packageOnServer(page.request, metrc)).status).toBe("active");
});

test.describe("as a viewer", () => {
  test.use({ storageState: ({ viewerStorageState }, provide) => provide(viewerStorageState) });

  test("finished goods and wholesale show no edit controls", async ({ page }) => {
    await page.goto("/finished-goods");
    await expect(page.getByTestId("package-card").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "New package" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Deduct from/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Calc / }).first()).toBeVisible();
    await page.goto("/wholesale");
    await expect(page.getByRole("heading", { name: "Available by strain" })).toBeVisible();
    await expect(page.getByRole("button", { name: /^Hold / })).toHaveCount(0);
  });
});
