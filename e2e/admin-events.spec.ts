import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, serverJson, snapshot, test } from "./fixtures";

/**
 * /admin/events as an admin uses it: a webhook subscriber pointed at a real local receiver (no
 * private-address block exists for webhooks, so no extra server setting is needed), a test event
 * delivered (Queue + attempt log), a failed delivery (the receiver answers 500) retried from the
 * Queue until it completes; the filter editor's validation; axe on every tab. The worker that
 * delivers runs beside the web server (`npm start` starts both).
 */

test.use({ viewport: { width: 1440, height: 900 }, storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

interface Receiver {
  url: string;
  received: number;
  /** What the next requests get: 200, or 500 with a long Retry-After so only a manual retry comes. */
  mode: "ok" | "fail";
  close: () => Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver = { received: 0, mode: "ok" } as Receiver;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      receiver.received++;
      if (receiver.mode === "fail") {
        res.writeHead(500, { "content-type": "text/plain", "retry-after": "3600" });
        res.end("receiver is down");
      } else {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("received ok");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

type DeliveryJson = { id: string; status: string; subscriber_name: string };
type DeliveryDetailJson = DeliveryJson & { attempt_log: { attempt_number: number; trigger: string; status_code: number | null }[] };

const tab = (page: Page, name: string) => page.getByRole("tab", { name });

test("webhook subscriber: test event delivered, a failed delivery retried from the Queue", async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const receiver = await startReceiver();
  try {
    const name = unique("E2E hook");
    await page.goto("/admin/events");
    await expect(page.getByRole("heading", { level: 1, name: "Event system" })).toBeVisible();
    await expect(tab(page, "Queue")).toHaveAttribute("aria-selected", "true");

    // Create the subscriber; the filter editor refuses an unknown operator with the server's rule.
    await tab(page, "Subscribers").click();
    await page.getByRole("button", { name: "New subscriber" }).click();
    const dialog = page.getByRole("dialog", { name: "New subscriber" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Event types").fill("test.ping");
    await dialog.getByLabel("URL").fill(receiver.url);
    await dialog.getByLabel("Filter (JSON)").fill('{"payload.message": {"$like": "x"}}');
    await dialog.getByRole("button", { name: "Create subscriber" }).click();
    await expect(dialog.getByText(/unknown operator \$like/)).toBeVisible();
    await dialog.getByLabel("Filter (JSON)").fill('{"payload.message": "Test*"}');
    await dialog.getByRole("button", { name: "Create subscriber" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_/);

    const { subscribers } = await serverJson<{ subscribers: { id: string; name: string; config: { url: string }; filter: unknown }[] }>(
      page.request,
      "/api/admin/subscribers",
    );
    const subscriber = subscribers.find((s) => s.name === name)!;
    expect(subscriber).toMatchObject({ config: { url: receiver.url }, filter: { "payload.message": "Test*" } });
    await expectNoSeriousA11yViolations(page);
    await snapshot(page, testInfo, "admin-events-subscribers");

    // A test event: delivered to the receiver, completed in the Queue, its attempt in the log.
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });
    await card.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => receiver.received, { timeout: 15_000 }).toBe(1);

    await tab(page, "Queue").click();
    await page.getByLabel("Subscriber", { exact: true }).selectOption(subscriber.id);
    const rows = page.getByRole("row").filter({ hasText: name });
    await expect(rows).toHaveCount(1);
    await expect(rows.first().getByText("completed")).toBeVisible();
    await rows.first().getByRole("button", { name: "Attempts" }).click();
    const detail = page.getByRole("dialog", { name: `Delivery of test.ping to ${name}` });
    await expect(detail.getByRole("row").filter({ hasText: "HTTP 200" }).filter({ hasText: "received ok" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.keyboard.press("Escape");
    await expect(detail).toBeHidden();

    // The receiver fails: the delivery is failed (retry scheduled an hour out, as Retry-After asks).
    receiver.mode = "fail";
    await tab(page, "Subscribers").click();
    await card.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => receiver.received, { timeout: 15_000 }).toBe(2);
    await tab(page, "Queue").click();
    await page.getByLabel("Subscriber", { exact: true }).selectOption(subscriber.id);
    await page.getByRole("button", { name: /^failed/i }).click();
    const failedRow = page.getByRole("row").filter({ hasText: name });
    await expect(failedRow).toHaveCount(1);
    await expect(failedRow.getByText("HTTP 500")).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await snapshot(page, testInfo, "admin-events-queue-failed");

    const failed = (
      await serverJson<{ deliveries: DeliveryJson[] }>(page.request, `/api/admin/deliveries?subscriber_id=${subscriber.id}&status=failed`)
    ).deliveries;
    expect(failed).toHaveLength(1);

    // Retry from the Queue once the receiver is back: it completes with a manual second attempt.
    receiver.mode = "ok";
    await failedRow.getByRole("button", { name: "Retry" }).click();
    await expect(failedRow).toHaveCount(0);
    await expect.poll(() => receiver.received, { timeout: 15_000 }).toBe(3);
    await page.getByRole("button", { name: /^completed/i }).click();
    await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(2);
    await expect
      .poll(
        async () =>
          (await serverJson<{ delivery: DeliveryDetailJson }>(page.request, `/api/admin/deliveries/${failed[0].id}`)).delivery.status,
      )
      .toBe("completed");
    const retried = (await serverJson<{ delivery: DeliveryDetailJson }>(page.request, `/api/admin/deliveries/${failed[0].id}`)).delivery;
    expect(retried.attempt_log.map((a) => [a.status_code, a.trigger])).toEqual([
      [500, "scheduled"],
      [200, "manual"],
    ]);
  } finally {
    await receiver.close();
  }
});

test("event log search with the payload viewer, and the service status", async ({ page }, testInfo) => {
  await page.goto("/admin/events");
  await tab(page, "Event log").click();
  await page.getByLabel("Type").fill("batch.*");
  await page.getByRole("button", { name: "Search" }).click();
  const firstPayload = page.getByRole("button", { name: /^Payload of event \d+$/ }).first();
  await expect(firstPayload).toBeVisible();
  await firstPayload.click();
  await expect(page.getByRole("complementary", { name: "Payload viewer" }).getByText("Trace id")).toBeVisible();
  const log = await serverJson<{ events: { type: string }[] }>(page.request, "/api/admin/events?type=batch.*&limit=100");
  expect(log.events.length).toBeGreaterThan(0);
  await expect(page.getByRole("row").filter({ hasText: "batch." })).toHaveCount(log.events.length);
  await expectNoSeriousA11yViolations(page);
  await snapshot(page, testInfo, "admin-events-log");

  await tab(page, "Service status").click();
  await expect(page.getByText("Worker heartbeat", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  await expect(page.getByText(/completed in the last 10 minutes/)).toBeVisible();
  const status = await serverJson<{ worker: { heartbeat_age_seconds: number } | null }>(page.request, "/api/admin/event-system/status");
  expect(status.worker).not.toBeNull();
  await expectNoSeriousA11yViolations(page);
  await snapshot(page, testInfo, "admin-events-status");
});
