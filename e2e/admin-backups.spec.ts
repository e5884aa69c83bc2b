import fs from "node:fs";
import { expect, expectNoSeriousA11yViolations, serverJson, snapshot, test } from "./fixtures";

/**
 * /admin/backups as an admin uses it: run a backup from the page, see it in the history, download
 * it — the file that arrives is the one the API lists (name, size). The restore steps are shown.
 */

test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

type BackupJson = { id: string; file_name: string; status: string; trigger: string; size_bytes: number | null; sha256: string | null };

test("run a backup now, see it listed, and download it", async ({ page }, testInfo) => {
  const before = await serverJson<{ backups: BackupJson[] }>(page.request, "/api/admin/backups");
  await page.goto("/admin/backups");
  await expect(page.getByRole("heading", { level: 1, name: "Backups" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "How to restore" })).toBeVisible();
  await expect(page.getByText("npm run restore -- data/backups/<file>")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Backups" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  // Enabled once no backup runs (the worker's scheduled one may be under way on a fresh server).
  await page.getByRole("button", { name: "Run backup now" }).click();

  // The server's newest backup is a completed manual one that was not there before.
  let made: BackupJson | undefined;
  await expect
    .poll(
      async () => {
        const after = await serverJson<{ backups: BackupJson[] }>(page.request, "/api/admin/backups");
        made = after.backups.find((b) => !before.backups.some((x) => x.id === b.id) && b.trigger === "manual");
        return made?.status;
      },
      { timeout: 20_000 },
    )
    .toBe("completed");
  const backup = made!;
  expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByText(`Backup ${backup.file_name} written`)).toBeVisible();
  const status = await serverJson<{ backup_count: number; last_backup_size_bytes: number }>(page.request, "/api/backup-status");
  expect(status.backup_count).toBeGreaterThanOrEqual(1);
  expect(status.last_backup_size_bytes).toBe(backup.size_bytes);

  const row = page.getByRole("row").filter({ hasText: backup.file_name });
  await expect(row).toBeVisible();
  await expect(row.getByText("completed")).toBeVisible();
  await expect(row.getByText(backup.sha256!.slice(0, 16))).toBeVisible();
  await expect(page.getByRole("status").getByText("Backup in progress")).toHaveCount(0);
  // The pointer still rests on the button it pressed (a hover colour is not what axe should judge).
  await page.mouse.move(0, 0);
  await expectNoSeriousA11yViolations(page);
  await snapshot(page, testInfo, "admin-backups");

  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: `Download ${backup.file_name}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(backup.file_name);
  const file = await download.path();
  expect(fs.statSync(file).size).toBe(backup.size_bytes);
});

test("the download route refuses traversal and non-backup names", async ({ page }) => {
  for (const name of ["..%2F..%2Fpackage.json", "..", ".tmp-x.db.gz"]) {
    const res = await page.request.get(`/api/admin/backups/${name}/download`);
    expect([400, 404], name).toContain(res.status());
  }
});
