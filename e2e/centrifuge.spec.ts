import { expect, expectNoSeriousA11yViolations, serverJson, serverPost, snapshot, test } from "./fixtures";

/**
 * The desk's centrifuge page (/centrifuge, four tabs) and the per-strain trends page
 * (/centrifuge-trends/{strain}): the calculators show what the API computes, a recommendation is
 * applied to a batch and an admin adds and removes a machine, each checked on the server.
 */

test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const oneDecimal = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = (n: number) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * axe with the pointer parked: the UI kit's primary button's hover colour (green-600 under white
 * text, 3.2:1) fails AA while the mouse rests on a button it just clicked.
 */
async function axe(page: import("@playwright/test").Page) {
  await page.mouse.move(0, 0);
  await expectNoSeriousA11yViolations(page);
}

test("force and impulse calculators show what the API computes; every tab passes axe", async ({ page, baseURL }, testInfo) => {
  test.setTimeout(60_000);
  await page.goto("/centrifuge");
  await expect(page.getByRole("heading", { level: 1, name: "Centrifuge" })).toBeVisible();
  await expect(page.getByRole("tab", { name: "Force" })).toHaveAttribute("aria-selected", "true");

  // Force: 3100 rpm on the Lab Geek.
  await page.getByLabel("RPM", { exact: true }).fill("3100");
  await page.getByLabel("Machine", { exact: true }).selectOption({ label: "Lab Geek" });
  await page.getByRole("button", { name: "Calculate", exact: true }).click();
  const force = await serverPost(page.request, baseURL!, "/api/centrifuge/calculate", { rpm: 3100, centrifuge_type: "lab_geek" });
  const forceResult = page.getByRole("region", { name: "Force result" });
  await expect(forceResult).toContainText(`${oneDecimal(force.g_force)} g`);
  await expect(forceResult).toContainText("at 3,100 rpm");
  await expect(forceResult).toContainText(force.safety_zone === "caution" ? "Caution" : force.safety_zone);
  // The same force on the Silver Bullet, as the compare route gives it.
  const compare = await serverPost(page.request, baseURL!, "/api/centrifuge/compare", { rpm: 3100, source_centrifuge: "lab_geek" });
  const comparison = page.getByRole("region", { name: "Speed for the same g-force on each machine" });
  await expect(comparison.getByRole("row", { name: /Silver Bullet/ })).toContainText(
    compare.equivalent.silver_bullet.rpm.toLocaleString("en-US"),
  );
  // The curve's text alternative.
  await expect(page.getByRole("img", { name: /g-force against rpm/ })).toBeVisible();
  await snapshot(page, testInfo, "centrifuge-force-chart");
  await page.getByRole("button", { name: "Show as table" }).click();
  const curveTable = page.getByRole("region", { name: "G-force by rpm per machine" });
  await expect(curveTable.getByRole("row", { name: /^3,000 / })).toBeVisible();
  await axe(page);
  await snapshot(page, testInfo, "centrifuge-force");

  // Impulse: today's usual setting (2200 rpm, 15 s, 1 g on the Silver Bullet) is optimal.
  await page.getByRole("tab", { name: "Impulse" }).click();
  await page.getByLabel("RPM", { exact: true }).fill("2200");
  await page.getByLabel("Time (s)", { exact: true }).fill("15");
  await page.getByLabel("Weight (g)", { exact: true }).fill("1");
  await page.getByLabel("Machine", { exact: true }).selectOption({ label: "Silver Bullet" });
  await page.getByRole("button", { name: "Calculate impulse" }).click();
  const impulse = (
    await serverPost(page.request, baseURL!, "/api/centrifuge/impulse-calculate", {
      rpm: 2200,
      time_seconds: 15,
      weight_grams: 1,
      centrifuge_type: "silver_bullet",
    })
  ).data;
  expect(impulse.impulse_zone).toBe("optimal");
  const impulseResult = page.getByRole("region", { name: "Impulse result" });
  await expect(impulseResult).toContainText(`${twoDecimals(impulse.impulse_newton_seconds)} N·s`);
  await expect(impulseResult).toContainText("Optimal");
  await expect(page.locator("li[aria-current='true']")).toContainText("Optimal");

  // Target match: the rpm for 95 N·s in 15 s on 1 g.
  await page.getByLabel("Target impulse (N·s)").fill("95");
  await page.getByRole("button", { name: "Find settings" }).click();
  const match = (
    await serverPost(page.request, baseURL!, "/api/centrifuge/target-match", {
      target_impulse: 95,
      adjust_mode: "rpm",
      time_seconds: 15,
      weight_grams: 1,
      centrifuge_type: "silver_bullet",
    })
  ).data;
  await expect(page.getByRole("region", { name: "Target match result" })).toContainText(match.recommended_rpm.toLocaleString("en-US"));
  // Batch comparison: the three sizes by default, one row each.
  await expect(page.getByRole("region", { name: "Impulse per fill weight" }).getByRole("row")).toHaveCount(4);
  await axe(page);
  await snapshot(page, testInfo, "centrifuge-impulse");

  await page.getByRole("tab", { name: "Strain trends" }).click();
  await expect(page.getByText("Pick a strain")).toBeVisible();
  await axe(page);

  await page.getByRole("tab", { name: "Machines" }).click();
  await expect(page.getByRole("region", { name: "Centrifuge machines" })).toContainText("Silver Bullet");
  await axe(page);
  await snapshot(page, testInfo, "centrifuge-machines");
});

test("trends page of a strain with recorded runs; a size's recommendation applied to its batch", async ({ page, baseURL }, testInfo) => {
  test.setTimeout(60_000);
  const strain = unique("E2E Spin");
  const batch = (
    await serverPost(page.request, baseURL!, "/api/batches", {
      strain,
      input_grams: 2000,
      stage: 2,
      planned_0_5: 2000,
      planned_0_7: 500,
      planned_1_0: 300,
      grind_size: "medium",
    })
  ).batch as { id: string };
  for (const [rpm, yieldPercent] of [
    [2000, 88],
    [2100, 92],
    [2200, 95],
  ]) {
    await serverPost(page.request, baseURL!, "/api/centrifuge/outcomes", {
      strain,
      size: "0_5",
      rpm,
      time_seconds: 15,
      cycles: 1,
      fill_gauge_cycle1: 6,
      grind_size: "medium",
      yield_percent: yieldPercent,
      weight_check_pass_rate: 90,
    });
  }

  await page.goto(`/centrifuge-trends/${encodeURIComponent(strain)}`);
  await expect(page.getByRole("heading", { level: 1, name: `Centrifuge trends: ${strain}` })).toBeVisible();
  await expect(page.getByRole("group", { name: "Trend summary" })).toContainText(/Runs\s*3/);
  await expect(page.getByText("Rising")).toBeVisible();
  await expect(page.getByRole("img", { name: /rpm and yield per recorded run/ })).toBeVisible();
  await snapshot(page, testInfo, "centrifuge-trends-chart");
  await page.getByRole("button", { name: "Show as table" }).click();
  await expect(page.getByRole("region", { name: "Recorded centrifuge runs" }).getByRole("row")).toHaveCount(4);
  await axe(page);
  await snapshot(page, testInfo, "centrifuge-trends");

  // Apply the 0.5g recommendation to the strain's active batch.
  const unified = await serverJson(page.request, `/api/centrifuge-recommendations-unified/${encodeURIComponent(strain)}`);
  const rec = unified.recommendations["0_5"];
  await expect(page.getByLabel("Apply to batch")).toHaveValue(batch.id);
  await page.getByRole("button", { name: "Apply 0.5g to batch" }).click();
  await expect(page.getByText(`0.5g settings applied to ${strain}`)).toBeVisible();
  const saved = (await serverJson(page.request, `/api/batches/${batch.id}`)).batch.centrifuge_settings_by_size["0_5"];
  expect(saved).toMatchObject({ centrifuge_rpm: rec.rpm, centrifuge_time_seconds: rec.time_seconds, centrifuge_cycles: rec.cycles });
  // The change shows in the strain's setting history.
  const history = page.getByRole("region", { name: `Centrifuge setting changes for ${strain}` });
  await expect(history.getByRole("row", { name: /rpm/ })).toContainText(String(rec.rpm));
  await expect(history).toContainText("admin");
});

test("an admin adds a machine, the calculators offer it, and removes it", async ({ page, baseURL }, testInfo) => {
  const id = `e2e_${Date.now().toString(36)}`;
  const name = `E2E Rotor ${id.slice(4)}`;
  await page.goto("/centrifuge");
  await page.getByRole("tab", { name: "Machines" }).click();
  await page.getByRole("button", { name: "Add machine" }).click();
  const dialog = page.getByRole("dialog", { name: "Add machine" });
  await dialog.getByLabel("Machine name").fill(name);
  await dialog.getByLabel("Machine id").fill(id);
  await dialog.getByLabel("Rotor radius (in)").fill("6");
  await dialog.getByLabel("Highest RPM").fill("400");
  await dialog.getByRole("button", { name: "Save machine" }).click();
  await expect(dialog.getByText("Must be above the lowest RPM")).toBeVisible();
  await dialog.getByLabel("Highest RPM").fill("4000");
  await axe(page);
  await dialog.getByRole("button", { name: "Save machine" }).click();
  await expect(dialog).toBeHidden();

  const guide = await serverJson(page.request, "/api/centrifuge/settings-guide");
  expect(guide.centrifuges[id]).toEqual({ id, name, radius_inches: 6, min_rpm: 500, max_rpm: 4000 });
  await expect(page.getByRole("region", { name: "Centrifuge machines" })).toContainText(name);
  await snapshot(page, testInfo, "centrifuge-machine-added");

  await page.getByRole("tab", { name: "Force" }).click();
  await page.getByLabel("Machine", { exact: true }).selectOption({ label: name });
  await page.getByRole("button", { name: "Calculate", exact: true }).click();
  const force = await serverPost(page.request, baseURL!, "/api/centrifuge/calculate", { rpm: 2200, centrifuge_type: id });
  await expect(page.getByRole("region", { name: "Force result" })).toContainText(`${oneDecimal(force.g_force)} g`);

  await page.getByRole("tab", { name: "Machines" }).click();
  await page.getByRole("button", { name: `Remove ${name}` }).click();
  await page
    .getByRole("dialog", { name: `Remove ${name}?` })
    .getByRole("button", { name: "Remove machine" })
    .click();
  await expect(page.getByRole("region", { name: "Centrifuge machines" })).not.toContainText(name);
  expect(Object.keys((await serverJson(page.request, "/api/centrifuge/settings-guide")).centrifuges)).not.toContain(id);
});

test.describe("as a viewer", () => {
  test.use({ storageState: ({ viewerStorageState }, provide) => provide(viewerStorageState) });

  test("reads the machines and trends without edit controls", async ({ page }) => {
    await page.goto("/centrifuge");
    await page.getByRole("tab", { name: "Machines" }).click();
    await expect(page.getByRole("region", { name: "Centrifuge machines" })).toContainText("Lab Geek");
    await expect(page.getByRole("button", { name: "Add machine" })).toHaveCount(0);
    await page.goto(`/centrifuge-trends/${encodeURIComponent("No Such Strain")}`);
    await expect(page.getByText("No centrifuge runs recorded for No Such Strain")).toBeVisible();
    await expect(page.getByLabel("Apply to batch")).toHaveCount(0);
  });
});
