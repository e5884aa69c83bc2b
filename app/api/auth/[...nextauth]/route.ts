import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";

/**
 * next-auth's own endpoints (sign-in, sign-out, session, CSRF). The one route not built with
 * `route()`: next-auth owns its request handling; it is public by nature and rate-limits sign-in
 * attempts in `authorize` (lib/auth/next-auth.ts).
 */
const handler = NextAuth(authOptions);
export { handler as GET, handler as POST };
