import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { authenticateApiKey, type ApiKeyPrincipal } from "@/lib/auth/api-keys";
import { isRole, type Role } from "@/lib/auth/roles";
import { secureCookiesEnabled } from "@/lib/auth/next-auth";
import { config } from "@/lib/config/env";

export interface UserPrincipal {
  kind: "user";
  id: string;
  username: string;
  role: Role;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

/** The name written on audit rows and events. */
export function actorName(p: Principal): string {
  return p.kind === "user" ? p.username : `api-key:${p.name}`;
}

/** Who a session cookie belongs to: the JWT must decode and still match an active user. */
export async function sessionPrincipal(req: NextRequest | Request): Promise<UserPrincipal | null> {
  const cookie = req.headers.get("cookie");
  if (!cookie || !cookie.includes("session-token")) return null;
  const token = await getToken({
    req: req as NextRequest,
    secret: config().NEXTAUTH_SECRET,
    secureCookie: secureCookiesEnabled(),
  }).catch(() => null);
  if (!token?.sub) return null;
  const userId = token.sub;
  const user = await memoByDataVersion(`user:${userId}`, () =>
    db.user.findUnique({ where: { id: userId }, select: { id: true, username: true, role: true, active: true, session_version: true } }),
  );
  if (!user || !user.active || user.session_version !== token.sv) return null;
  return { kind: "user", id: user.id, username: user.username, role: isRole(user.role) ? user.role : "viewer" };
}

export async function apiKeyPrincipal(req: Request): Promise<ApiKeyPrincipal | null | "invalid"> {
  const presented = req.headers.get("x-api-key");
  if (presented === null) return null;
  return (await authenticateApiKey(presented.trim())) ?? "invalid";
}
