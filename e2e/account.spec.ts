import { expect, login, test } from "./fixtures";
import type { Page } from "@playwright/test";

/**
 * Accounts: an admin creates users on /admin/users, the role gate on the admin area, and the
 * recovery-key flow (/account → /forgot-password → /reset-password → login).
 *
 * The recovery test changes a password, so it works on an admin it creates itself and leaves the
 * shared `admin` untouched. /api/password-recovery/verify allows 2 requests a minute per IP (and
 * without TRUST_PROXY every caller shares one bucket), so this file verifies a key exactly once.
 */

const RECOVERY_KEY = /^HARVEST-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

async function createUser(page: Page, username: string, password: string, role: "viewer" | "operator" | "admin") {
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Username", { exact: true }).fill(username);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await form.getByLabel("Role", { exact: true }).selectOption(role);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toHaveText(`User ${username} created.`);
  const row = page.locator(`[data-testid="user-row"][data-username="${username}"]`);
  await expect(row.getByTestId("user-role")).toHaveText(role);
  await expect(row.getByTestId("user-status")).toHaveText("active");
}

async function logOut(page: Page) {
  await page.getByRole("link", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login(\?|$)/);
}

test.describe("accounts", () => {
  test.use({ storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

  test("an admin creates an operator, who signs in to the board but not the admin area", async ({ page }) => {
    const username = unique("e2e-op");
    const password = "operator-pass-1";
    await createUser(page, username, password, "operator");

    await logOut(page);
    await login(page, username, password);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("current-user")).toContainText(`${username} (operator)`);
    await expect(page.getByTestId("stage-column-0")).toBeVisible();

    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("stage-column-0")).toBeVisible();
    await expect(page.getByRole("form", { name: "Create user" })).toHaveCount(0);
  });

  test("a recovery key from /account resets a forgotten password and is replaced by a new one", async ({ page }) => {
    test.setTimeout(60_000);
    const username = unique("e2e-rec");
    const oldPassword = "recovery-old-pass";
    const newPassword = "recovery-new-pass";
    await createUser(page, username, oldPassword, "admin");

    // The new admin signs in and generates a recovery key on /account.
    await logOut(page);
    await login(page, username, oldPassword);
    await expect(page.getByTestId("current-user")).toContainText(`${username} (admin)`);
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "My account" })).toBeVisible();
    await page.getByRole("button", { name: "Generate recovery key" }).click();
    const keyBox = page.getByTestId("recovery-key");
    await expect(keyBox).toHaveText(RECOVERY_KEY);
    const recoveryKey = (await keyBox.textContent())!.trim();
    await expect(page.getByText("It will not be shown again.")).toBeVisible();

    // Signed out, "forgot" the password: verify the key (the only verify call in this file).
    await logOut(page);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
    await page.getByLabel("Username (optional)").fill(username);
    await page.getByLabel("Recovery key").fill(recoveryKey.toLowerCase()); // accepted in any case
    await page.getByRole("button", { name: "Verify recovery key" }).click();
    await expect(page).toHaveURL(/\/reset-password\?token=[\w-]{20,}/);

    // A mismatched confirmation is caught before anything is sent.
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Confirm new password").fill("something-else");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByText("Passwords do not match")).toBeVisible();

    await page.getByLabel("Confirm new password").fill(newPassword);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByRole("status").filter({ hasText: `The password for ${username} has been changed` })).toBeVisible();
    const newKeyBox = page.getByTestId("recovery-key");
    await expect(newKeyBox).toHaveText(RECOVERY_KEY);
    expect((await newKeyBox.textContent())!.trim()).not.toBe(recoveryKey);
    await expect(page.getByText("It will not be shown again.")).toBeVisible();

    await page.getByRole("link", { name: "Go to login" }).click();
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await login(page, username, newPassword);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("current-user")).toContainText(`${username} (admin)`);
  });
});
