import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { authOptions } from "@/lib/auth/next-auth";
import { call, sessionHeaders } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";
import { createUser, TEST_PASSWORD } from "@/prisma/seed/user";
import * as apiKeysRoute from "@/app/api/api-keys/route";
import * as apiKeyRoute from "@/app/api/api-keys/[id]/route";
import * as legacyKeyRoute from "@/app/api/api-key/route";
import * as legacyRegenerateRoute from "@/app/api/api-key/regenerate/route";
import * as dataRoute from "@/app/api/data/route";
import * as usersRoute from "@/app/api/users/route";
import * as userRoute from "@/app/api/users/[id]/route";
import * as recoveryKeyRoute from "@/app/api/account/recovery-key/route";
import * as verifyRoute from "@/app/api/password-recovery/verify/route";
import * as resetRoute from "@/app/api/password-recovery/reset/route";
import * as passwordRoute from "@/app/api/account/password/route";

let p: Awaited<ReturnType<typeof createPrincipals>>;
// These tests stand behind a trusted proxy (deploy/: nginx sets X-Real-IP) unless they say otherwise.
process.env.TRUST_PROXY = "true";
beforeAll(async () => {
  p = await createPrincipals();
});

const data = (key: string) => call(dataRoute.GET, { path: "/api/data", headers: { "x-api-key": key } });

describe("API keys", () => {
  it("creates a key shown once, lists it by prefix, and it authenticates", async () => {
    const created = await call(apiKeysRoute.POST, {
      method: "POST",
      path: "/api/api-keys",
      headers: p.headers.admin,
      body: { name: "Integration", role: "viewer" },
    });
    expect(created.status).toBe(201);
    const secret: string = created.json.api_key;
    expect(secret).toMatch(/^prt_[\w-]{43}$/);
    const list = await call(apiKeysRoute.GET, { path: "/api/api-keys", headers: p.headers.admin });
    const listed = list.json.keys.find((k: { id: string }) => k.id === created.json.key.id);
    expect(listed).toMatchObject({ name: "Integration", prefix: secret.slice(0, 12), active: true, role: "viewer" });
    expect(JSON.stringify(list.json)).not.toContain(secret);
    expect((await data(secret)).status).toBe(200);
    expect(await db.event.count({ where: { type: "api_key.created" } })).toBeGreaterThan(0);
  });

  it("revokes a key at once", async () => {
    const created = await call(apiKeysRoute.POST, {
      method: "POST",
      path: "/api/api-keys",
      headers: p.headers.admin,
      body: { name: "Temp" },
    });
    const res = await call(apiKeyRoute.DELETE, {
      method: "DELETE",
      path: `/api/api-keys/${created.json.key.id}`,
      params: { id: created.json.key.id },
      headers: p.headers.admin,
    });
    expect(res.json.key.active).toBe(false);
    expect((await data(created.json.api_key)).status).toBe(401);
  });

  it("the contract's regenerate returns a new key once; by default the old one keeps working 24 h, then stops", async () => {
    const regenerate = (body: object) =>
      call(legacyRegenerateRoute.POST, { method: "POST", path: "/api/api-key/regenerate", headers: p.headers.admin, body });
    const first = await regenerate({});
    expect(first.status).toBe(200);
    expect(first.json.success).toBe(true);
    const older: string = first.json.api_key;
    expect((await data(older)).status).toBe(200);

    // A default regenerate (ApexAPI's users press the old button, nothing else): no outage.
    const res = await regenerate({});
    expect(res.status).toBe(200);
    const fresh: string = res.json.api_key;
    expect(res.json.previous).toMatchObject({ id: first.json.key.id, active: true, revoked_at: null });
    expect(res.json.message).toContain("keeps working until");
    expect((await data(older)).status).toBe(200);
    expect((await data(fresh)).status).toBe(200);
    const oldRow = await db.apiKey.findUniqueOrThrow({ where: { id: first.json.key.id } });
    expect(oldRow.expires_at!.getTime()).toBeGreaterThan(Date.now() + 23.9 * 3_600_000);
    expect(oldRow.expires_at!.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);
    const info = await call(legacyKeyRoute.GET, { path: "/api/api-key", headers: p.headers.admin });
    expect(info.json.key_prefix).toBe(fresh.slice(0, 12));

    // After the grace period the old key stops; the new one goes on.
    vi.useFakeTimers({ toFake: ["Date"], now: oldRow.expires_at!.getTime() + 60_000 });
    try {
      expect((await data(older)).status).toBe(401);
      expect((await data(fresh)).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it("the contract's regenerate with grace_hours: 0 revokes the old key at once", async () => {
    const before = await call(legacyRegenerateRoute.POST, {
      method: "POST",
      path: "/api/api-key/regenerate",
      headers: p.headers.admin,
      body: {},
    });
    const old: string = before.json.api_key;
    expect((await data(old)).status).toBe(200);
    const now = await call(legacyRegenerateRoute.POST, {
      method: "POST",
      path: "/api/api-key/regenerate",
      headers: p.headers.admin,
      body: { grace_hours: 0 },
    });
    expect(now.status).toBe(200);
    expect(now.json.previous).toMatchObject({ id: before.json.key.id, active: false });
    expect(now.json.message).toBe("New key created. The previous key was revoked.");
    expect((await data(old)).status).toBe(401);
    expect((await data(now.json.api_key)).status).toBe(200);
  });
});

describe("users", () => {
  it("admin creates users; duplicates 409; the last admin cannot be demoted", async () => {
    const res = await call(usersRoute.POST, {
      method: "POST",
      path: "/api/users",
      headers: p.headers.admin,
      body: { username: "packer1", password: "secret-pass", role: "operator" },
    });
    expect(res.status).toBe(201);
    const dup = await call(usersRoute.POST, {
      method: "POST",
      path: "/api/users",
      headers: p.headers.admin,
      body: { username: "packer1", password: "secret-pass" },
    });
    expect(dup.status).toBe(409);
    const short = await call(usersRoute.POST, {
      method: "POST",
      path: "/api/users",
      headers: p.headers.admin,
      body: { username: "x2", password: "123" },
    });
    expect(short.status).toBe(400);
    expect(short.json.details.fields.password).toBeDefined();
    const demote = await call(userRoute.PATCH, {
      method: "PATCH",
      path: `/api/users/${p.admin.id}`,
      params: { id: p.admin.id },
      headers: p.headers.admin,
      body: { role: "viewer" },
    });
    expect(demote.status).toBe(409);
    expect(demote.json.code).toBe("last_admin");
  });

  it("deactivating a user ends their session", async () => {
    const user = await createUser(db, { role: "operator" });
    const headers = await sessionHeaders(user);
    expect((await call(dataRoute.GET, { path: "/api/data", headers })).status).toBe(200);
    await call(userRoute.PATCH, {
      method: "PATCH",
      path: `/api/users/${user.id}`,
      params: { id: user.id },
      headers: p.headers.admin,
      body: { active: false },
    });
    expect((await call(dataRoute.GET, { path: "/api/data", headers })).status).toBe(401);
  });
});

describe("password login", () => {
  const provider = authOptions.providers[0] as unknown as { options: { authorize: (c: unknown, r: unknown) => Promise<unknown> } };
  const authorize = (username: string, password: string, ip = "10.0.0.1") =>
    provider.options.authorize({ username, password }, { headers: { "x-real-ip": ip } });

  it("accepts the right password and refuses a wrong one or an inactive user", async () => {
    const user = await createUser(db, { role: "viewer" });
    expect(await authorize(user.username, TEST_PASSWORD, "10.0.0.2")).toMatchObject({ id: user.id, role: "viewer" });
    expect(await authorize(user.username, "wrong", "10.0.0.3")).toBeNull();
    const inactive = await createUser(db, { active: false });
    expect(await authorize(inactive.username, TEST_PASSWORD, "10.0.0.4")).toBeNull();
  });

  it("rate-limits attempts: the 6th within a minute for one user from one IP is refused", async () => {
    const user = await createUser(db);
    for (let i = 0; i < 5; i++) expect(await authorize(user.username, "wrong", "10.0.0.9")).toBeNull();
    await expect(authorize(user.username, TEST_PASSWORD, "10.0.0.9")).rejects.toThrow(/Too many login attempts/);
    expect(await authorize(user.username, TEST_PASSWORD, "10.0.0.10")).toMatchObject({ id: user.id });
  });

  it("a successful sign-in clears the failed attempts", async () => {
    const user = await createUser(db);
    for (let i = 0; i < 4; i++) await authorize(user.username, "wrong", "10.4.0.1");
    expect(await authorize(user.username, TEST_PASSWORD, "10.4.0.1")).toMatchObject({ id: user.id });
    for (let i = 0; i < 4; i++) expect(await authorize(user.username, "wrong", "10.4.0.1")).toBeNull();
    expect(await authorize(user.username, TEST_PASSWORD, "10.4.0.1")).toMatchObject({ id: user.id });
  });

  it("without a trusted proxy a spoofed X-Real-IP does not get around the limit", async () => {
    process.env.TRUST_PROXY = "false";
    try {
      const user = await createUser(db);
      for (let i = 0; i < 5; i++) expect(await authorize(user.username, "wrong", `10.3.0.${i}`)).toBeNull();
      await expect(authorize(user.username, TEST_PASSWORD, "10.3.0.99")).rejects.toThrow(/Too many login attempts/);
    } finally {
      process.env.TRUST_PROXY = "true";
    }
  });
});

describe("recovery keys", () => {
  it("generate → verify → reset: new password works, old sessions end, the key rotates", async () => {
    const user = await createUser(db, { role: "admin", username: "recover-me" });
    const headers = await sessionHeaders(user);
    const gen = await call(recoveryKeyRoute.POST, { method: "POST", path: "/api/account/recovery-key", headers, body: {} });
    const key: string = gen.json.recovery_key;
    expect(key).toMatch(/^HARVEST-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const stored = await db.recoveryKey.findFirstOrThrow({ where: { user_id: user.id, used_at: null } });
    expect(stored.key_hash).toMatch(/^\$2[aby]\$/);

    const ip = { "x-real-ip": "10.1.0.1" };
    const wrong = await call(verifyRoute.POST, {
      method: "POST",
      path: "/api/password-recovery/verify",
      headers: ip,
      body: { recovery_key: "HARVEST-AAAA-BBBB-CCCC" },
    });
    expect(wrong.status).toBe(400);
    const ok = await call(verifyRoute.POST, {
      method: "POST",
      path: "/api/password-recovery/verify",
      headers: ip,
      body: { recovery_key: key.toLowerCase() },
    });
    expect(ok.status).toBe(200);
    const limited = await call(verifyRoute.POST, {
      method: "POST",
      path: "/api/password-recovery/verify",
      headers: ip,
      body: { recovery_key: key },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    const reset = await call(resetRoute.POST, {
      method: "POST",
      path: "/api/password-recovery/reset",
      headers: ip,
      body: { reset_token: ok.json.reset_token, password: "brand-new-pass", password_confirm: "brand-new-pass" },
    });
    expect(reset.status).toBe(200);
    expect(reset.json.recovery_key).toMatch(/^HARVEST-/);
    expect(reset.json.recovery_key).not.toBe(key);
    const again = await call(resetRoute.POST, {
      method: "POST",
      path: "/api/password-recovery/reset",
      headers: ip,
      body: { reset_token: ok.json.reset_token, password: "another-pass" },
    });
    expect(again.status).toBe(400);
    expect((await call(dataRoute.GET, { path: "/api/data", headers })).status).toBe(401);
    const provider = authOptions.providers[0] as unknown as { options: { authorize: (c: unknown, r: unknown) => Promise<unknown> } };
    expect(
      await provider.options.authorize({ username: "recover-me", password: "brand-new-pass" }, { headers: { "x-real-ip": "10.1.0.2" } }),
    ).toMatchObject({ id: user.id });
  });

  it("verifying a recovery key writes the reset token with an audit row (no secret) and an event", async () => {
    const user = await createUser(db, { role: "operator", username: "verify-audited" });
    const gen = await call(recoveryKeyRoute.POST, {
      method: "POST",
      path: "/api/account/recovery-key",
      headers: await sessionHeaders(user),
      body: {},
    });
    const ok = await call(verifyRoute.POST, {
      method: "POST",
      path: "/api/password-recovery/verify",
      headers: { "x-real-ip": "10.1.9.1" },
      body: { recovery_key: gen.json.recovery_key, username: "verify-audited" },
    });
    expect(ok.status, ok.text).toBe(200);
    const token = await db.passwordResetToken.findFirstOrThrow({ where: { user_id: user.id } });
    expect(token.expires_at.toISOString()).toBe(ok.json.expires_at);
    const audit = await db.auditLog.findMany({ where: { entity: "user", entity_id: user.id, field: "password_reset_window" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].trace_id).toBeTruthy();
    expect(JSON.stringify(audit)).not.toContain(ok.json.reset_token);
    const events = await db.event.findMany({ where: { type: "recovery_key.verified" } });
    const mine = events.filter((e) => (e.payload as { user_id: string }).user_id === user.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].trace_id).toBe(audit[0].trace_id);
    expect(JSON.stringify(mine[0])).not.toContain(ok.json.reset_token);
  });

  it("expired reset tokens are refused", async () => {
    const user = await createUser(db);
    const { createHash } = await import("node:crypto");
    await db.passwordResetToken.create({
      data: {
        user_id: user.id,
        token_hash: createHash("sha256").update("t".repeat(30)).digest("hex"),
        expires_at: new Date(Date.now() - 1000),
      },
    });
    const res = await call(resetRoute.POST, {
      method: "POST",
      path: "/api/password-recovery/reset",
      headers: { "x-real-ip": "10.2.0.1" },
      body: { reset_token: "t".repeat(30), password: "whatever1" },
    });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("reset_token_expired");
  });

  it("changing your own password needs the current one and ends your sessions", async () => {
    const user = await createUser(db);
    const headers = await sessionHeaders(user);
    const wrong = await call(passwordRoute.POST, {
      method: "POST",
      path: "/api/account/password",
      headers,
      body: { current_password: "nope", new_password: "newer-pass" },
    });
    expect(wrong.status).toBe(400);
    const ok = await call(passwordRoute.POST, {
      method: "POST",
      path: "/api/account/password",
      headers,
      body: { current_password: TEST_PASSWORD, new_password: "newer-pass" },
    });
    expect(ok.status).toBe(200);
    expect((await call(dataRoute.GET, { path: "/api/data", headers })).status).toBe(401);
  });
});
