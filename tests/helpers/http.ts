import { NextRequest } from "next/server";
import { encode } from "next-auth/jwt";
import type { User } from "@/lib/generated/prisma/client";

/**
 * Calls a route handler (an exported GET/POST/… built with `route()`) in-process with a real
 * NextRequest — the same code path Next runs, without a server.
 */

export const ORIGIN = "http://localhost:3000";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  path: string;
  params?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function call(handler: Handler, options: CallOptions) {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { host: "localhost:3000", ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const req = new NextRequest(new URL(options.path, ORIGIN), { method, headers, body });
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Headers of a signed-in browser: a next-auth session cookie and a same-origin Origin. */
export async function sessionHeaders(user: Pick<User, "id" | "username" | "role" | "session_version">) {
  const token = await encode({
    token: { sub: user.id, name: user.username, role: user.role, sv: user.session_version },
    secret: process.env.NEXTAUTH_SECRET!,
  });
  return { cookie: `next-auth.session-token=${token}`, origin: ORIGIN };
}

export function apiKeyHeaders(key: string) {
  return { "x-api-key": key };
}
