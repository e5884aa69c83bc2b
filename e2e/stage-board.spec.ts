import { ADMIN_PASSWORD, ADMIN_USERNAME, expect, login, test } from "./fixtures";

/**
 * The floor's main screen: sign-in, the stage board with the demo batches (14 of them across
 * stages 0–7, seeded on the fresh e2e database), moving a batch, signing out.
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

  test("moving a batch with its stage select + Save moves the card, and it persists", async ({ page }) => {
    const FROM = 2; // the demo puts 3 batches in stage 2, so the column never runs dry here
    const TO = 3;
    await page.goto("/");
    const fromColumn = page.getByTestId(`stage-column-${FROM}`);
    const toColumn = page.getByTestId(`stage-column-${TO}`);
    const card = fromColumn.getByTestId("batch-card").first();
    await expect(card).toBeVisible();

    const batchId = await card.getAttribute("data-batch-id");
    expect(batchId).toBeTruthy();
    const strain = (await card.getByRole("combobox").getAttribute("aria-label"))!.replace(/^Stage of /, "");
    const cardWithId = (scope: typeof fromColumn) => scope.locator(`[data-testid="batch-card"][data-batch-id="${batchId}"]`);
    const toCountBefore = await toColumn.getByTestId("batch-card").count();

    const save = card.getByRole("button", { name: "Save" });
    await expect(save).toBeDisabled(); // nothing to save until the stage changes
    await card.getByRole("combobox", { name: `Stage of ${strain}` }).selectOption(String(TO));
    await expect(save).toBeEnabled();
    await save.click();

    await expect(cardWithId(toColumn)).toBeVisible();
    await expect(cardWithId(fromColumn)).toHaveCount(0);
    await expect(toColumn.getByTestId("batch-card")).toHaveCount(toCountBefore + 1);
    await expect(cardWithId(toColumn).getByRole("combobox", { name: `Stage of ${strain}` })).toHaveValue(String(TO));

    await page.reload();
    await expect(cardWithId(toColumn)).toBeVisible();
    await expect(cardWithId(fromColumn)).toHaveCount(0);
    await expect(cardWithId(toColumn).getByRole("combobox", { name: `Stage of ${strain}` })).toHaveValue(String(TO));
  });

  test("logging out returns to /login and the board is no longer reachable", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("current-user")).toContainText(ADMIN_USERNAME);
    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();

    await page.goto("/");
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await expect(page.getByTestId("current-user")).toHaveCount(0);
  });
});
