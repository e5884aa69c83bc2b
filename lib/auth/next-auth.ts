import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db/client";
import { verifyPassword } from "@/lib/auth/passwords";
import { clearLoginAttempts, clientIp, consumeLoginAttempt } from "@/lib/auth/login-limiter";
import { isRole } from "@/lib/auth/roles";
import { config } from "@/lib/config/env";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Secure cookies whenever the app is served over https (production behind nginx + TLS). */
export function secureCookiesEnabled(): boolean {
  const { COOKIE_SECURE, NEXTAUTH_URL } = config();
  if (COOKIE_SECURE) return COOKIE_SECURE === "true";
  return (NEXTAUTH_URL ?? "").startsWith("https://");
}

/**
 * next-auth: username + password (bcrypt), a 30-day JWT session in an HttpOnly SameSite=Lax
 * cookie. The token carries the user id and session_version; the route wrapper checks both
 * against the database (memoised) so deactivation or a password reset ends old sessions.
 */
export const authOptions: NextAuthOptions = {
  secret: config().NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  useSecureCookies: secureCookiesEnabled(),
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Password",
      credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const username = String(credentials?.username ?? "").trim();
        const password = String(credentials?.password ?? "");
        if (!username || !password) return null;
        const ip = clientIp((req?.headers ?? {}) as Record<string, unknown>);
        await consumeLoginAttempt(ip, username);
        const user = await db.user.findUnique({ where: { username } });
        if (!user || !user.active || !(await verifyPassword(password, user.password_hash))) return null;
        await clearLoginAttempts(ip, username);
        await db.user.update({ where: { id: user.id }, data: { last_login_at: new Date() } });
        return { id: user.id, name: user.username, role: user.role, sv: user.session_version };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const u = user as { id: string; name?: string | null; role?: string; sv?: number };
        token.sub = u.id;
        token.name = u.name ?? undefined;
        token.role = u.role;
        token.sv = u.sv;
      }
      return token;
    },
    async session({ session, token }) {
      session.user = {
        ...session.user,
        name: token.name ?? null,
        id: token.sub,
        sv: token.sv,
        role: isRole(token.role) ? token.role : "viewer",
      } as typeof session.user;
      return session;
    },
  },
};
