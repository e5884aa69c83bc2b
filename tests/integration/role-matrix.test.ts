import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hasRole, type Role } from "@/lib/auth/roles";
import type { RouteRule } from "@/lib/http/route";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { createApiKey } from "@/prisma/seed/user";
import { db } from "@/lib/db/client";

/**
 * Every API route × {anonymous, viewer, operator, admin, API key} gets the status its rule says.
 * Routes are found on disk, so a new route that does not go through `route()` (and so has no
 * rule) fails here, and a contract path whose auth rule differs from API-CONTRACT.md fails too.
 */

const API_DIR = path.resolve(__dirname, "../../app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** next-auth owns its endpoints (lib/auth/next-auth.ts); the only route without `route()`. */
const NOT_WRAPPED = new Set(["/api/auth/[...nextauth]"]);

/** Auth column of API-CONTRACT.md, for the paths it lists ({x} = a path parameter). */
const CONTRACT_AUTH: Record<string, RouteRule["auth"]> = {
  "GET /api/data": "key|session",
  "GET /api/archive": "key|session",
  "GET /api/batches/last-updated": "key|session",
  "GET /api/batch/{}/rate-history": "key|session",
  "POST /api/batch/{}/counts": "key|session",
  "POST /api/update-progress/{}": "key|session",
  "POST /api/batch/{}/plan": "key|session",
  "POST /api/batch/{}/centrifuge": "session",
  "GET /api/strain/{}/rate-projection": "key|session",
  "POST /api/archive/{}": "key|session",
  "POST /api/public/archive/{}": "key|session",
  "GET /api/allocation-preview": "session",
  "POST /api/reorder": "key|session",
  "POST /api/weight-check/{}": "session",
  "GET /api/weight-analytics/{}": "session",
  "GET /api/inventory": "key|session",
  "POST /api/inventory/update": "key|session",
  "POST /api/inventory/settings": "key|session",
  "POST /api/dismiss-inventory-alert/{}": "session",
  "POST /api/dismiss-inventory-alerts": "session",
  "GET /api/finished-goods": "key|session",
  "POST /api/finished-goods": "key|session",
  "GET /api/version": "public",
  "GET /api/backup-status": "key|session",
  "GET /api/settings": "key|session",
  "GET /api/api-key": "session",
  "POST /api/api-key/regenerate": "session",
  "GET /api/overview": "key|session",
  "GET /api/audit": "key|session",
  "GET /api/production-history": "key|session",
  "GET /api/apex-sync-status": "key|session",
  "POST /api/apex-sync-trigger": "key|session",
  "GET /api/pushover/settings": "session",
  "PUT /api/pushover/settings": "session",
  "POST /api/pushover/test": "session",
  "POST /api/pushover/check-alerts": "session",
  "GET /api/wholesale/inventory": "session",
  "POST /api/wholesale/hold": "session",
  "DELETE /api/wholesale/hold/{}": "session",
  "GET /api/wholesale/holds": "session",
  "GET /api/wholesale/last-updated": "session",
  "POST /api/recommendations/upload": "session",
  "GET /api/recommendations": "session",
  "GET /api/snapshots/history": "session",
};

function findRoutes(dir: string, prefix = "/api"): { urlPattern: string; file: string }[] {
  const out: { urlPattern: string; file: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findRoutes(full, `${prefix}/${entry.name}`));
    else if (entry.name === "route.ts") out.push({ urlPattern: prefix, file: full });
  }
  return out;
}

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
        const contractKey = `${method} ${urlPattern.replace(/\[[^\]]+\]/g, "{}")}`;
        if (CONTRACT_AUTH[contractKey]) expect(rule.auth, `${contractKey} auth differs from the contract`).toBe(CONTRACT_AUTH[contractKey]);

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
