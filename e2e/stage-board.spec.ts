import { ADMIN_PASSWORD, ADMIN_USERNAME, expect, login, test } from "./fixtures";

/**
 * The floor's main screen: sign-in, the stage board with the demo batches (14 of them across
 * stages 0–7, seeded on the fresh e2e database), signing out. The floor flows are in floor.spec.ts.
 * The tests share one database and run in file order (workers: 1).
 */

const STAGES = [0, 1, 2, 3, 4, 5, 6, 7] as const;

test.describe("signed out", () => {
  test("an anonymous visit to / redirects to the login page", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
    await expect(page.getByTestId("stage-column-0")).toHaveCount(0);
  });

  test("a wrong password shows an error and stays on /login", async ({ page }) => {
    await login(page, ADMIN_USERNAME, "not-the-password");
    // Next.js also renders an (empty) role="alert" route announcer: pick the form's alert by its text.
    await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password" })).toBeVisible();
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled();
    await expect(page.getByTestId("current-user")).toHaveCount(0);
  });

  test("the admin logs in and sees the demo batches in every stage column", async ({ page }) => {
    await login(page, ADMIN_USERNAME, ADMIN_PASSWORD);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("current-user")).toContainText(`${ADMIN_USERNAME} (admin)`);
    for (const stage of STAGES) {
      const cards = page.getByTestId(`stage-column-${stage}`).getByTestId("batch-card");
      await expect(cards.first(), `stage ${stage} has at least one batch`).toBeVisible();
    }
  });
});

test.describe("signed in as admin", () => {
  test.use({ storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

  test("logging out returns to /login and the board is no longer reachable", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("current-user")).toContainText(ADMIN_USERNAME);
    await page.getByRole("link", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();

    await page.goto("/");
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await expect(page.getByTestId("current-user")).toHaveCount(0);
  });
});
