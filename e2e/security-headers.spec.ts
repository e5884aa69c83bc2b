import { expect, test } from "./fixtures";

/**
 * Security headers on real responses of the production build (SPEC §7), and a Content-Security-
 * Policy the app's own pages live with: loading them reports no CSP violation. (The header rules
 * themselves are unit-tested in tests/unit/security-headers.test.ts.)
 */

function expectSecurityHeaders(headers: Record<string, string>, what: string) {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], what).toContain("camera=()");
  // Served over plain http here: no HSTS.
  expect(headers["strict-transport-security"], what).toBeUndefined();
  expect(headers["x-powered-by"], what).toBeUndefined();
}

test("pages and API responses carry the security headers", async ({ request }) => {
  for (const path of ["/login", "/api/health", "/api/version", "/api/data"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expectSecurityHeaders(res.headers(), `${path} → ${res.status()}`);
  }
});

test.describe("signed in", () => {
  test.use({ storageState: ({ adminStorageState }, provide) => provide(adminStorageState) });

  test("the board and the login page load without a single CSP violation", async ({ page, browser }) => {
    const violations: string[] = [];
    const watch = async (p: typeof page) => {
      p.on("console", (msg) => {
        if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(msg.text())) violations.push(msg.text());
      });
      // Playwright's init scripts run outside the page's CSP.
      await p.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => {
          const w = window as unknown as { __csp?: string[] };
          (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
    };
    // Not "networkidle": polling and the event stream keep the network busy. Inline scripts are
    // judged while the document parses; a second more covers hydration and the first fetches.
    const settle = async (p: typeof page) => {
      await p.waitForLoadState("load");
      await p.waitForTimeout(1_000);
    };
    const collect = async (p: typeof page) =>
      violations.push(...(await p.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])));

    await watch(page);
    await page.goto("/");
    await expect(page.getByTestId("current-user")).toBeVisible();
    await settle(page);
    await collect(page);

    const anonymous = await browser.newPage({ storageState: { cookies: [], origins: [] } });
    try {
      await watch(anonymous);
      await anonymous.goto("/login");
      await expect(anonymous.getByRole("button", { name: "Log in" })).toBeVisible();
      await settle(anonymous);
      await collect(anonymous);
    } finally {
      await anonymous.close();
    }
    expect(violations).toEqual([]);
  });
});
