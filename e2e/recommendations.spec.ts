import fs from "node:fs";
import path from "node:path";
import { expect, expectNoSeriousA11yViolations, serverJson, snapshot, test } from "./fixtures";

/**
 * /recommendations at a desk: a CSV with a bad row is refused with its rows listed and nothing
 * saved; good uploads become snapshots that can be compared (with a store filter) and exported.
 */

test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

type History = { snapshots: { timestamp: string; files_processed: string[]; strain_count: number }[] };

const FIXTURES = path.resolve("tests/fixtures/store-sales");
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const csv = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });

test("upload refused per row, then two snapshots compared by store and exported", async ({ page }, testInfo) => {
  const before = (await serverJson<History>(page.request, "/api/snapshots/history")).snapshots.length;
  await page.goto("/recommendations");
  await expect(page.getByRole("heading", { level: 1, name: "Sales recommendations" })).toBeVisible();
  const files = page.getByLabel("CSV files");
  const uploadButton = page.getByRole("button", { name: /^Upload/ });

  // One bad row: the server refuses the whole file and names the row; nothing is saved.
  const bad = `bad-${tag}.csv`;
  await files.setInputFiles(csv(bad, "store,strain,inventory,avg_daily_sales\nEastside,Blue Dream,10,2\nEastside,Runtz,ten,1\n"));
  await expect(page.getByRole("list", { name: "Files to upload" })).toContainText(bad);
  await uploadButton.click();
  const refusal = page.getByRole("alert").filter({ hasText: "nothing was saved" });
  await expect(refusal).toContainText("The upload has 1 invalid row; nothing was saved");
  const rowsToFix = refusal.getByRole("table", { name: "Rows to fix" });
  await expect(rowsToFix.getByRole("row")).toHaveCount(2);
  await expect(rowsToFix.getByRole("row").nth(1).getByRole("cell")).toHaveText([bad, "3", "inventory", 'Inventory "ten" is not a number']);
  expect((await serverJson<History>(page.request, "/api/snapshots/history")).snapshots).toHaveLength(before);
  await snapshot(page, testInfo, "recommendations-refused");

  // A good file: the progress bar shows while it is on its way (the response is held until seen).
  await page.getByRole("button", { name: `Remove ${bad}` }).click();
  const week1 = `downtown-${tag}.csv`;
  await files.setInputFiles(csv(week1, fs.readFileSync(path.join(FIXTURES, "downtown-week.csv"), "utf8")));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/recommendations/upload", async (route) => {
    await held;
    await route.continue();
  });
  await uploadButton.click();
  await expect(page.getByRole("progressbar", { name: "Upload progress" })).toBeVisible();
  release();
  await expect(page.getByRole("progressbar", { name: "Upload progress" })).toBeHidden();
  await page.unroute("**/api/recommendations/upload");
  const snapshots = page.getByRole("region", { name: "Snapshot list" });
  await expect(snapshots.getByRole("row").filter({ hasText: week1 })).toHaveCount(1);
  const afterFirst = await serverJson<History>(page.request, "/api/snapshots/history");
  expect(afterFirst.snapshots).toHaveLength(before + 1);
  expect(afterFirst.snapshots[0]).toMatchObject({ files_processed: [week1], strain_count: 5 });
  await expect(refusal).toBeHidden();

  // The latest table: most urgent first, and the other way round on a click.
  const latest = page.getByRole("region", { name: "Latest recommendations" });
  const urgency = latest.getByRole("columnheader", { name: "Urgency" });
  const firstUrgency = latest.getByRole("row").nth(1).getByRole("cell").first();
  await expect(urgency).toHaveAttribute("aria-sort", "ascending");
  await expect(firstUrgency).toHaveText("critical");
  await urgency.getByRole("button").click();
  await expect(urgency).toHaveAttribute("aria-sort", "descending");
  await expect(firstUrgency).toHaveText("low");

  // A second week at Downtown, plus a second store, so there is something to compare.
  const week2 = `downtown-week2-${tag}.csv`;
  await files.setInputFiles([
    csv(week2, "store,strain,inventory,avg_daily_sales\nDowntown,Blue Dream,0,6\nDowntown,Gelato 41,200,2\nDowntown,Sour Diesel,30,1\n"),
    csv(`uptown-${tag}.csv`, "store,strain,inventory,avg_daily_sales\nUptown,Blue Dream,50,1\n"),
  ]);
  await page.getByRole("button", { name: "Upload 2 files" }).click();
  await expect(snapshots.getByRole("row").filter({ hasText: week2 })).toHaveCount(1);
  const afterSecond = await serverJson<History>(page.request, "/api/snapshots/history");
  expect(afterSecond.snapshots).toHaveLength(before + 2);

  // Compare: the previous snapshot with the latest, Downtown only.
  const compare = page.getByRole("region", { name: "Compare snapshots" });
  await compare.getByLabel("Store filter").selectOption("Downtown");
  const comparison = compare.getByRole("region", { name: "Comparison" });
  await expect(comparison.getByRole("table")).toHaveAccessibleName(/^Store Downtown/);
  const blue = comparison.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Blue Dream", exact: true }) });
  await expect(blue.getByRole("cell").nth(0)).toHaveText("changed");
  await expect(blue.getByRole("cell").nth(1)).toHaveText("12");
  await expect(blue.getByRole("cell").nth(2)).toHaveText("0");
  await expect(blue.getByRole("cell").nth(3)).toHaveText("−12");
  await expect(compare.getByRole("list", { name: "Insights" })).toContainText("Strains gone");
  await snapshot(page, testInfo, "recommendations-compare");

  // Export the latest snapshot: a CSV download with the server's rows.
  const newest = afterSecond.snapshots[0].timestamp;
  const downloadPromise = page.waitForEvent("download");
  await snapshots
    .getByRole("button", { name: /^Export CSV of snapshot/ })
    .first()
    .click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(`recommendations_${newest}.csv`);
  const content = fs.readFileSync((await download.path())!, "utf8");
  expect(content.split("\n")[0]).toBe("store,strain,total_inventory,avg_sold_per_day,days_until_stockout,urgency,priority_score");
  expect(content).toContain("Uptown,Blue Dream,50");

  await expectNoSeriousA11yViolations(page);
  await snapshot(page, testInfo, "recommendations-full");
});

test.describe("as a viewer", () => {
  test.use({ storageState: ({ viewerStorageState }, provide) => provide(viewerStorageState) });

  test("reads recommendations and snapshots but has no upload controls", async ({ page }) => {
    await page.goto("/recommendations");
    await expect(page.getByRole("heading", { level: 1, name: "Sales recommendations" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Snapshot list" }).or(page.getByText("No recommendations yet"))).toBeVisible();
    await expect(page.getByRole("button", { name: "Choose CSV files" })).toHaveCount(0);
    await expect(page.getByLabel("CSV files")).toHaveCount(0);
  });
});
