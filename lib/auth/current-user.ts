import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";
import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { isRole } from "@/lib/auth/roles";
import type { UserPrincipal } from "@/lib/auth/principal";

/**
 * The signed-in user for server components (layouts), checked against the database like the API
 * does: a deactivated user, a changed password (session_version) or a changed role take effect on
 * the next page load, not when the 30-day cookie expires.
 */
export async function currentUser(): Promise<UserPrincipal | null> {
  const session = await getServerSession(authOptions);
  const claims = session?.user as { id?: string; sv?: number } | undefined;
  if (!claims?.id) return null;
  const id = claims.id;
  const user = await memoByDataVersion(`user:${id}`, () =>
    db.user.findUnique({ where: { id }, select: { id: true, username: true, role: true, active: true, session_version: true } }),
  );
  if (!user || !user.active || user.session_version !== claims.sv) return null;
  return { kind: "user", id: user.id, username: user.username, role: isRole(user.role) ? user.role : "viewer" };
}
