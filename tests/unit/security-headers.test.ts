import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { contentSecurityPolicy, hstsEnabled, securityHeaders } from "@/lib/config/security-headers";

/** Security headers (SPEC §7) as next.config.ts hands them to Next; e2e/security-headers.spec.ts checks a served page. */

const byName = (headers: { key: string; value: string }[]) => Object.fromEntries(headers.map((h) => [h.key.toLowerCase(), h.value]));
const directives = (csp: string) =>
  Object.fromEntries(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );

describe("next.config headers()", () => {
  it("sends the security headers on every path", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*");
    expect(all).toBeDefined();
    const h = byName(all!.headers);
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["permissions-policy"]).toContain("camera=()");
    expect(directives(h["content-security-policy"])["frame-ancestors"]).toEqual(["'none'"]);
    // Tests run outside production: no HSTS.
    expect(h["strict-transport-security"]).toBeUndefined();
  });
});

describe("Content-Security-Policy", () => {
  it("allows only our own origin, with what Next's pages need", () => {
    const csp = directives(contentSecurityPolicy({ NODE_ENV: "production" }));
    expect(csp["default-src"]).toEqual(["'self'"]);
    expect(csp["script-src"]).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp["connect-src"]).toEqual(["'self'"]);
    expect(csp["img-src"]).toEqual(["'self'", "data:", "blob:"]);
    expect(csp["worker-src"]).toEqual(["'self'"]);
    expect(csp["manifest-src"]).toEqual(["'self'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["upgrade-insecure-requests"]).toBeUndefined();
  });

  it("adds eval and the HMR socket only for the dev server", () => {
    const csp = directives(contentSecurityPolicy({ NODE_ENV: "development" }));
    expect(csp["script-src"]).toContain("'unsafe-eval'");
    expect(csp["connect-src"]).toContain("ws:");
  });

  it("lets the browser reach Sentry's ingest host (never the key) only when Sentry is on", () => {
    const env = { NODE_ENV: "production", SENTRY_DSN: "https://publickey@o123.ingest.sentry.io/456" };
    const h = byName(securityHeaders(env));
    expect(directives(h["content-security-policy"])["connect-src"]).toEqual(["'self'", "https://o123.ingest.sentry.io"]);
    expect(h["content-security-policy"]).not.toContain("publickey");
    expect(h["document-policy"]).toBe("js-profiling");
    expect(byName(securityHeaders({ NODE_ENV: "production" }))["document-policy"]).toBeUndefined();
  });
});

describe("HSTS", () => {
  it("only in production over https, overridable with HSTS", () => {
    expect(hstsEnabled({ NODE_ENV: "production", NEXTAUTH_URL: "https://tracker.example.com" })).toBe(true);
    expect(hstsEnabled({ NODE_ENV: "production", APP_URL: "https://tracker.example.com" })).toBe(true);
    expect(hstsEnabled({ NODE_ENV: "production", NEXTAUTH_URL: "http://192.168.1.20:3000" })).toBe(false);
    expect(hstsEnabled({ NODE_ENV: "development", NEXTAUTH_URL: "https://tracker.example.com" })).toBe(false);
    expect(hstsEnabled({ NODE_ENV: "production", NEXTAUTH_URL: "https://x", COOKIE_SECURE: "false" })).toBe(false);
    expect(hstsEnabled({ NODE_ENV: "production", NEXTAUTH_URL: "https://x", HSTS: "false" })).toBe(false);

    const h = byName(securityHeaders({ NODE_ENV: "production", NEXTAUTH_URL: "https://tracker.example.com" }));
    expect(h["strict-transport-security"]).toBe("max-age=31536000");
    expect(directives(h["content-security-policy"])["upgrade-insecure-requests"]).toEqual([]);
  });
});
