import { expect, expectNoSeriousA11yViolations, serverJson, serverPost, snapshot, test } from "./fixtures";

/**
 * /analytics at a desk: the period and size filters drive the cards and the charts (figures checked
 * against the API's), and a chart turns into a table of the same numbers.
 */

test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

type ProductionHistory = { daily_production: { date: string; total: number; "0_5": number; "0_7": number; "1_0": number }[] };

const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const sum = (h: ProductionHistory, key: "total" | "0_5" | "0_7" | "1_0") => h.daily_production.reduce((s, d) => s + d[key], 0);
const count = (n: number) => n.toLocaleString("en-US");

test("the filters drive the cards and charts; the production chart shows as a table", async ({ page, baseURL }, testInfo) => {
  // Something rolled today, so the period has production of every kind the page draws.
  const created = await serverPost(page.request, baseURL!, "/api/batches", {
    strain: unique("Analytics Haze"),
    input_grams: 1500,
    stage: 2,
    planned_0_5: 1000,
    planned_0_7: 400,
    planned_1_0: 300,
  });
  await serverPost(page.request, baseURL!, `/api/batch/${created.batch.id}/counts`, { counts_0_5: 150, counts_0_7: 75, counts_1_0: 25 });

  await page.goto("/analytics");
  await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
  const figure = (label: string) => page.getByRole("term").filter({ hasText: label }).locator("..").getByRole("definition").first();

  const overview = await serverJson<{ total_active: number }>(page.request, "/api/overview");
  await expect(figure("Active batches")).toHaveText(count(overview.total_active));

  // Default: the last 30 days, every size.
  const month = await serverJson<ProductionHistory>(page.request, "/api/production-history?days=30");
  await expect(figure("Pre-rolls made")).toHaveText(count(sum(month, "total")));

  await page.getByLabel("Period", { exact: true }).selectOption({ label: "Last 7 days" });
  await page.getByLabel("Size", { exact: true }).selectOption({ label: "0.7g" });
  const week = await serverJson<ProductionHistory>(page.request, "/api/production-history?days=7");
  await expect(page.getByText("Production over the last 7 days, 0.7g.")).toBeVisible();
  await expect(figure("Pre-rolls made")).toHaveText(count(sum(week, "0_7")));
  expect(sum(week, "0_7")).toBeGreaterThanOrEqual(75);

  // The production chart follows the filters: its table has only the 0.7g column, today's value from the API.
  const production = page.getByRole("region", { name: "Production per day" });
  await expect(production.getByRole("img", { name: /pre-rolls made per day/ })).toBeVisible();
  await snapshot(page, testInfo, "analytics-7-days-0.7g");
  await production.getByRole("button", { name: "Show as table" }).click();
  const table = production.getByRole("table", { name: "Pre-rolls made per day" });
  await expect(table.getByRole("columnheader")).toHaveText(["Day", "0.7g", "Total"]);
  await expect(table.getByRole("row")).toHaveCount(1 + 7);
  const today = week.daily_production.at(-1)!;
  const [y, m, d] = today.date.split("-").map(Number);
  const todayLabel = new Date(y, m - 1, d).toLocaleDateString("en-US", { month: "short", day: "numeric" });
  const todayRow = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: todayLabel, exact: true }) });
  await expect(todayRow.getByRole("cell")).toHaveText([count(today["0_7"]), count(today["0_7"])]);

  // Back to every size: the table gains the other columns and today's total.
  await page.getByLabel("Size", { exact: true }).selectOption({ label: "All sizes" });
  await expect(table.getByRole("columnheader")).toHaveText(["Day", "0.5g", "0.7g", "1.0g", "Total"]);
  await expect(todayRow.getByRole("cell").last()).toHaveText(count(today.total));
  await expect(figure("Pre-rolls made")).toHaveText(count(sum(week, "total")));

  // The stage chart's table lists every stage with the server's hours.
  const series = await serverJson<{ stage_times: { stage_name: string; average_hours: number | null }[] }>(
    page.request,
    "/api/analytics?days=7",
  );
  const stages = page.getByRole("region", { name: "Time per stage" });
  await stages.getByRole("button", { name: "Show as table" }).click();
  const inProgress = series.stage_times.find((s) => s.stage_name === "In progress")!;
  await expect(
    stages
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: "In progress", exact: true }) })
      .getByRole("cell")
      .first(),
  ).toHaveText(inProgress.average_hours === null ? "—" : `${inProgress.average_hours.toLocaleString("en-US")} h`);

  await production.getByRole("button", { name: "Show as chart" }).click();
  await expect(production.getByRole("img", { name: /pre-rolls made per day/ })).toBeVisible();

  await expectNoSeriousA11yViolations(page);
  await snapshot(page, testInfo, "analytics-tables");
});
