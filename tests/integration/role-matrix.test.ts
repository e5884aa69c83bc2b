import { beforeAll, describe, expect, it } from "vitest";
import { hasRole, type Role } from "@/lib/auth/roles";
import type { RouteRule } from "@/lib/http/route";
import { contractAuth } from "@/lib/http/contract-routes";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { createApiKey } from "@/prisma/seed/user";
import { db } from "@/lib/db/client";
import { API_DIR, findRoutes, HTTP_METHODS } from "@/tests/helpers/api-routes";

/**
 * Every API route × {anonymous, viewer, operator, admin, API key} gets the status its rule says.
 * Routes are found on disk, so a new route that does not go through `route()` (and so has no
 * rule) fails here, and a contract path whose auth rule differs from API-CONTRACT.md (as listed in
 * lib/http/contract-routes.ts) fails too.
 */

const METHODS = HTTP_METHODS;
/** next-auth owns its endpoints (lib/auth/next-auth.ts); the only route without `route()`. */
const NOT_WRAPPED = new Set(["/api/auth/[...nextauth]"]);

const routes = findRoutes(API_DIR);
const DUMMY_ID = "00000000-0000-4000-8000-000000000000";

function concretePath(pattern: string) {
  const params: Record<string, string> = {};
  const url = pattern.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_m, _dots, name: string) => {
    params[name] = DUMMY_ID;
    return DUMMY_ID;
  });
  return { url, params };
}

type Caller = "anonymous" | "viewer" | "operator" | "admin" | "apiKey";
const CALLER_ROLE: Record<Exclude<Caller, "anonymous">, Role> = {
  viewer: "viewer",
  operator: "operator",
  admin: "admin",
  apiKey: "operator",
};

/** What the rule promises a caller: 401, 403, or "allowed" (any status but those two). */
function expected(rule: RouteRule, caller: Caller): 401 | 403 | "allowed" {
  if (rule.auth === "public") return "allowed";
  if (caller === "anonymous") return 401;
  if (caller === "apiKey" && rule.auth === "session") return 401;
  return hasRole(CALLER_ROLE[caller], rule.role) ? "allowed" : 403;
}

let p: Awaited<ReturnType<typeof createPrincipals>>;
beforeAll(async () => {
  p = await createPrincipals();
  // The contract's POST /api/api-key/regenerate replaces the newest key: give it a decoy, so the
  // matrix's own key survives every call.
  const decoy = await createApiKey(db, { name: "decoy" });
  await db.apiKey.update({ where: { id: decoy.id }, data: { created_at: new Date(Date.now() + 60_000) } });
});

describe("role matrix", () => {
  it("finds the API routes on disk", () => {
    expect(routes.length).toBeGreaterThan(10);
  });

  for (const { urlPattern, file } of routes) {
    it(`${urlPattern}: every method has a rule and each caller gets the status it promises`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const handlers = METHODS.filter((m) => typeof mod[m] === "function");
      expect(handlers.length, `${file} exports no handler`).toBeGreaterThan(0);
      if (NOT_WRAPPED.has(urlPattern)) return;
      for (const method of handlers) {
        const handler = mod[method] as Parameters<typeof call>[0] & { rule?: RouteRule };
        expect(handler.rule, `${method} ${urlPattern} is not built with route() and has no auth rule`).toBeDefined();
        const rule = handler.rule!;
        // The auth column of API-CONTRACT.md, listed once in lib/http/contract-routes.ts.
        const contract = contractAuth(method, urlPattern);
        if (contract) expect(rule.auth, `${method} ${urlPattern} auth differs from the contract`).toBe(contract);

        const { url, params } = concretePath(urlPattern);
        for (const caller of ["anonymous", "viewer", "operator", "admin", "apiKey"] as Caller[]) {
          const res = await call(handler, {
            method,
            path: url,
            params,
            headers: p.headers[caller],
            body: method === "GET" || method === "DELETE" ? undefined : {},
          });
          const want = expected(rule, caller);
          const label = `${method} ${urlPattern} as ${caller} → ${res.status} ${res.text.slice(0, 120)}`;
          if (want === "allowed") expect([401, 403], label).not.toContain(res.status);
          else expect(res.status, label).toBe(want);
          expect(res.status, label).toBeLessThan(500);
          if (res.status >= 400 && res.status !== 404) expect(typeof res.json?.error, label).toBe("string");
        }
      }
    });
  }
});
