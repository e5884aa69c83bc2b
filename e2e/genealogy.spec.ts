import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, serverJson, serverPost, snapshot, test } from "./fixtures";

/**
 * Genealogy and recall at the desk: a source package seeded through the API (two batches made
 * from it, two packages each, one partly sold), searched from /genealogy (reached through the
 * navigation), its packages listed with their current grams and downloaded as CSV; a package tag
 * shows its batch and sources; an unknown tag is an empty result, not an error. Then the batch
 * edit page's Source packages section: add with the sum-vs-input warning, remove. Batches are made
 * "test passed" so a lab-state hold (a setting other specs may turn on) never blocks the deduct.
 */

test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

const suffix = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.toUpperCase();
/** A unique 24-character METRC tag. */
const uniqueTag = () => `1A4E2E${suffix()}`.slice(0, 24).padEnd(24, "0");

type SourceRecall = {
  batches: { batch_id: string; source_grams: number }[];
  packages: { metrc_number: string; current_grams: number; initial_grams: number; status: string }[];
};

async function newBatch(request: APIRequestContext, baseURL: string, strain: string, input_grams: number) {
  const { batch } = await serverPost(request, baseURL, "/api/batches", { strain, input_grams, stage: 2, testing_status: "test_passed" });
  return batch as { id: string; strain: string };
}

test("admin recalls a source package: the packages to pull, their current grams, and the CSV", async ({ page, baseURL }, testInfo) => {
  test.setTimeout(60_000);
  const source = uniqueTag();
  const strain = `E2E Recall ${suffix()}`;
  const packages: { metrc: string; grams: number }[] = [];
  for (const [i, grams] of [400, 300].entries()) {
    const batch = await newBatch(page.request, baseURL!, `${strain} ${i + 1}`, 1000);
    await serverPost(page.request, baseURL!, `/api/batches/${batch.id}/inputs`, { source_metrc_number: source, grams });
    for (const made of [120 + i, 150 + i]) {
      const metrc = uniqueTag();
      await serverPost(page.request, baseURL!, "/api/finished-goods/", {
        metrc_number: metrc,
        strain: batch.strain,
        grams: made,
        source_batch_id: batch.id,
      });
      packages.push({ metrc, grams: made });
    }
  }
  const sold = packages[0];
  await serverPost(page.request, baseURL!, `/api/finished-goods/${sold.metrc}/deduct`, { grams: 20 });
  const onServer = await serverJson<SourceRecall>(page.request, `/api/genealogy/source/${source}`);
  expect(onServer.batches.map((b) => b.source_grams)).toEqual([400, 300]);
  expect(onServer.packages.map((p) => p.metrc_number).sort()).toEqual(packages.map((p) => p.metrc).sort());
  expect(onServer.packages.find((p) => p.metrc_number === sold.metrc)?.current_grams).toBe(sold.grams - 20);

  // Through the desk navigation (a "More" page on wide screens).
  await page.goto("/finished-goods");
  await page.locator("summary", { hasText: "More" }).click();
  await page.getByRole("link", { name: "Genealogy" }).click();
  await expect(page).toHaveURL(/\/genealogy$/);
  await expect(page.getByRole("heading", { level: 1, name: "Genealogy and recall" })).toBeVisible();
  await expect(page.getByText("Search a METRC tag", { exact: true })).toBeVisible();

  await page.getByLabel("METRC tag").fill(source.toLowerCase());
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`/genealogy\\?tag=${source}$`));
  await expect(page.getByText("Source package", { exact: true })).toBeVisible();
  await expect(page.getByText("Finished-goods package", { exact: true })).toHaveCount(0);
  await expect(page.getByTestId("recall-batch-row")).toHaveCount(2);
  await expect(page.getByRole("heading", { name: "Packages to pull (4)" })).toBeVisible();
  const rows = page.getByTestId("pull-row");
  await expect(rows).toHaveCount(4);
  for (const p of packages) await expect(rows.filter({ hasText: p.metrc })).toHaveCount(1);
  const soldRow = rows.filter({ hasText: sold.metrc });
  await expect(soldRow).toContainText(`${sold.grams - 20} g`);
  await expect(soldRow).toContainText(`of ${sold.grams} g`);
  await page.mouse.move(0, 0);
  await expectNoSeriousA11yViolations(page);
  await snapshot(page, testInfo, "genealogy-source");

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`recall-${source}.csv`);
  const lines = fs
    .readFileSync((await download.path())!, "utf8")
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toBe(
    "METRC tag,Strain,Batch,Batch strain,Current grams,Initial grams,Status,Grams ordered,Grams packed,Units held,Holds",
  );
  expect(lines).toHaveLength(5);
  expect(
    lines
      .slice(1)
      .map((l) => l.split(",")[0])
      .sort(),
  ).toEqual(packages.map((p) => p.metrc).sort());
  const soldLine = lines.find((l) => l.startsWith(sold.metrc))!.split(",");
  expect(soldLine.slice(4, 7)).toEqual([String(sold.grams - 20), String(sold.grams), "active"]);

  // A package tag: its batch and the batch's source package, which recalls the source again.
  await page.getByLabel("METRC tag").fill(packages[3].metrc);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("Finished-goods package", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Source packages of this batch" })).toBeVisible();
  await expect(page.getByTestId("pull-row")).toHaveCount(2);
  await page.getByRole("button", { name: `Recall source ${source}` }).click();
  await expect(page.getByText("Source package", { exact: true })).toBeVisible();
  await expect(page.getByTestId("pull-row")).toHaveCount(4);

  // An unknown tag is an empty result, not an error.
  const unknown = uniqueTag();
  await page.getByLabel("METRC tag").fill(unknown);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText(`Nothing found for ${unknown}`)).toBeVisible();
});

test("admin records a batch's source packages on its edit page: warning when they do not add up, remove", async ({ page, baseURL }) => {
  const batch = await newBatch(page.request, baseURL!, `E2E Inputs ${suffix()}`, 500);
  const tag = uniqueTag();
  await page.goto(`/batches/${batch.id}/edit`);
  const section = page.getByRole("region", { name: "Source packages" });
  await expect(section.getByText("No source packages recorded yet.")).toBeVisible();

  // The server's METRC rule, client-side.
  await section.getByLabel("Source METRC tag").fill("1A4-SHORT");
  await section.getByLabel("Grams taken").fill("300");
  await section.getByRole("button", { name: "Add source package" }).click();
  await expect(section.getByText("METRC numbers are 24 upper-case letters or digits")).toBeVisible();

  await section.getByLabel("Source METRC tag").fill(tag);
  await section.getByRole("button", { name: "Add source package" }).click();
  await expect(section.getByTestId("source-package-row")).toHaveCount(1);
  await expect(section.getByTestId("source-package-row")).toContainText(tag);
  await expect(section.getByRole("status")).toContainText("200 g less than the batch's input of 500 g");
  const onServer = await serverJson<{ inputs: { source_metrc_number: string; grams: number }[] }>(
    page.request,
    `/api/batches/${batch.id}/inputs`,
  );
  expect(onServer.inputs.map((i) => [i.source_metrc_number, i.grams])).toEqual([[tag, 300]]);
  await page.mouse.move(0, 0);
  await expectNoSeriousA11yViolations(page);

  await section.getByRole("button", { name: `Remove source package ${tag}` }).click();
  await page.getByRole("button", { name: "Remove source package", exact: true }).click();
  await expect(section.getByText("No source packages recorded yet.")).toBeVisible();
  await expect
    .poll(async () => (await serverJson<{ inputs: unknown[] }>(page.request, `/api/batches/${batch.id}/inputs`)).inputs.length)
    .toBe(0);
});
