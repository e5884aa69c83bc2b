import { describe, expectTypeOf, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { route, type AuthRule, type PrincipalFor } from "@/lib/http/route";

/**
 * `route()` hands a handler a non-null principal on every route that requires auth, so handlers
 * need no `principal!`; only `auth: "public"` routes see null. The proof is the typecheck
 * (`npx tsc --noEmit -p .` checks these assertions); the run itself only builds the routes.
 */
describe("route() principal type", () => {
  it("is Principal unless the route is public", () => {
    expectTypeOf<PrincipalFor<"session">>().toEqualTypeOf<Principal>();
    expectTypeOf<PrincipalFor<"key|session">>().toEqualTypeOf<Principal>();
    expectTypeOf<PrincipalFor<"public">>().toEqualTypeOf<Principal | null>();
    // A rule not known until run time might be public: nullable.
    expectTypeOf<PrincipalFor<AuthRule>>().toEqualTypeOf<Principal | null>();

    const session = route({ auth: "session", role: "admin" }, ({ principal }) => {
      expectTypeOf(principal).toEqualTypeOf<Principal>();
      return { id: principal.id };
    });
    const key = route({ auth: "key|session", role: "operator" }, ({ principal }) => {
      expectTypeOf(principal).toEqualTypeOf<Principal>();
      return { role: principal.role };
    });
    const open = route({ auth: "public", role: "viewer" }, ({ principal }) => {
      expectTypeOf(principal).toEqualTypeOf<Principal | null>();
      return { signedIn: principal !== null };
    });
    expectTypeOf(session.rule.auth).toEqualTypeOf<AuthRule>();
    for (const r of [session, key, open]) expectTypeOf(r).toBeFunction();
  });
});
