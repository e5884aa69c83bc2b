import type { Batch } from "../lib/domain/batches/batch-response";
import { expect, expectNoSeriousA11yViolations, serverJson, serverPost, snapshot, test } from "./fixtures";

/**
 * The desk's batch pages as a manager uses them at 1440 × 900: create a batch through the full
 * form (a validation error first), edit it with a plan that does not fit, archive it and bring
 * it back from /archive. Each step is checked through the API.
 */

test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}`;

test("create a batch (a field error first), edit it with a capped plan, archive and unarchive it", async ({ page }, testInfo) => {
  const strain = unique("Desk Kush");

  // --- New batch: a wrong value is named under its field, and nothing is created.
  await page.goto("/");
  await page.getByRole("link", { name: "New batch" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New batch" })).toBeVisible();
  await page.getByLabel("Strain", { exact: true }).fill(strain);
  await page.getByLabel("Input grams").fill("2000");
  await page.getByLabel("THC %").fill("150");
  await page.getByLabel("Origin METRC number").fill("1A4-short");
  await page.getByRole("button", { name: "Create batch" }).click();
  const thc = page.getByLabel("THC %");
  await expect(thc).toHaveAttribute("aria-invalid", "true");
  await expect(thc).toHaveAccessibleDescription(/less than or equal to 100|<=100/);
  await expect(page.getByLabel("Origin METRC number")).toHaveAccessibleDescription(/24 upper-case letters or digits/);
  expect((await serverJson<Batch[]>(page.request, "/api/data")).some((b) => b.strain === strain)).toBe(false);

  // The allocation preview follows the grams; its counts become the plan.
  const preview = page.getByRole("status").filter({ hasText: "2,000 g make" });
  await expect(preview).toBeVisible();
  await preview.getByRole("button", { name: "Use as plan" }).click();
  const planned05 = Number(await page.getByLabel("Planned 0.5g").inputValue());
  expect(planned05).toBeGreaterThan(0);
  await snapshot(page, testInfo, "batch-new");
  await expectNoSeriousA11yViolations(page);

  await thc.fill("21.5");
  await page.getByLabel("Origin METRC number").fill("1a4ff0300000e2e000000001");
  await page.getByLabel("Testing status").selectOption({ label: "Sample sent" });
  await page.getByRole("button", { name: "Create batch" }).click();
  await expect(page).toHaveURL(/\/batches\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  const created = (await serverJson<{ batch: Batch }>(page.request, `/api/batches/${id}`)).batch;
  expect(created).toMatchObject({
    strain,
    input_grams: 2000,
    thc_percent: 21.5,
    origin_metrc_number: "1A4FF0300000E2E000000001",
    testing_status: "sample_sent",
    planned_0_5: planned05,
    stage: 0,
  });

  // --- Edit: a plan that needs more grams than the batch has is capped, and the form says so first.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Edit batch: ${strain}` })).toBeVisible();
  await page.getByLabel("Planned 0.5g").fill("99999");
  await expect(page.getByRole("status").filter({ hasText: "It does not fit" })).toBeVisible();
  await page.getByLabel("Testing lab").fill("Green Lab E2E");
  await page.getByRole("tab", { name: "0.7g" }).click();
  await page.getByLabel("RPM (0.7g)").fill("1900");
  await page.getByLabel("Stage", { exact: true }).selectOption({ label: "1 · Ground" });
  await snapshot(page, testInfo, "batch-edit");
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/Plan capped to fit the grams/)).toBeVisible();
  await expect(page.getByText("Batch saved")).toBeVisible();
  const edited = (await serverJson<{ batch: Batch }>(page.request, `/api/batches/${id}`)).batch;
  expect(edited.testing_lab).toBe("Green Lab E2E");
  expect(edited.stage).toBe(1);
  expect(edited.centrifuge_settings_by_size?.["0_7"]?.centrifuge_rpm).toBe(1900);
  expect(edited.planned_0_5).toBeLessThan(99999);
  expect(edited.planned_0_5 * 0.5 + edited.planned_0_7 * 0.7 + edited.planned_1_0).toBeLessThanOrEqual(2000);
  await expect(page.getByLabel("Planned 0.5g")).toHaveValue(String(edited.planned_0_5));

  // --- Archive from the edit page, then bring it back from /archive.
  await page.getByRole("button", { name: "Archive", exact: true }).click();
  await expect(page).toHaveURL(/\/archive$/);
  expect((await serverJson<Batch[]>(page.request, "/api/archive")).some((b) => b.id === id)).toBe(true);
  expect((await serverJson<Batch[]>(page.request, "/api/data")).some((b) => b.id === id)).toBe(false);
  await page.getByLabel("Search by strain").fill(strain);
  await expect(page.getByRole("row")).toHaveCount(2); // header + the one match
  await page.getByRole("button", { name: "THC %" }).click(); // sortable columns
  await expect(page.getByRole("columnheader", { name: "THC %" })).toHaveAttribute("aria-sort", "descending");
  await snapshot(page, testInfo, "archive");
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: `Unarchive ${strain}` }).click();
  await expect(page.getByText(`${strain} is back on the board`)).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(strain) })).toHaveCount(0);
  expect((await serverJson<Batch[]>(page.request, "/api/data")).some((b) => b.id === id)).toBe(true);
});

test("deleting a batch asks first, then removes it", async ({ page, baseURL }) => {
  const strain = unique("Desk Delete");
  const { batch } = (await serverPost(page.request, baseURL!, "/api/batches", { strain, input_grams: 500 })) as { batch: Batch };
  await page.goto(`/batches/${batch.id}/edit`);
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${strain}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect((await page.request.get(`/api/batches/${batch.id}`)).status()).toBe(200);
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete batch" }).click();
  await expect(page).toHaveURL(/\/$/);
  expect((await page.request.get(`/api/batches/${batch.id}`)).status()).toBe(404);
});
