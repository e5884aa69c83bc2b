import type { NextRequest } from "next/server";
import { z } from "zod";
import { requestScope, newTraceId, type ActorContext, type RequestScope } from "@/lib/context";
import { actorName, apiKeyPrincipal, sessionPrincipal, type Principal } from "@/lib/auth/principal";
import { hasRole, type Role } from "@/lib/auth/roles";
import { ApiError, errorBody, forbidden, unauthorized, validationError, badRequest } from "@/lib/http/errors";
import { assertDeclaredSize, readBodyText } from "@/lib/http/body";
import { rawBodyHashText } from "@/lib/http/multipart";
import { finishIdempotent, requestHash, startIdempotent } from "@/lib/http/idempotency";
import { logger } from "@/lib/log";
import { consumeApiRequest } from "@/lib/http/rate-limit";
import { logRequest, routePattern } from "@/lib/observability/request-log";
import { reportError } from "@/lib/observability/sentry";
import { config } from "@/lib/config/env";
import { findProtoKey } from "@/lib/safe-keys";

/**
 * The one wrapper every route handler goes through:
 *   export const POST = route({ auth: "key|session", role: "operator", body: schema }, handler)
 * It authenticates (API key or session cookie, per the contract's auth column), checks the role,
 * refuses cross-origin session mutations, parses params/query/body with zod (400 + field details),
 * applies Idempotency-Key, enforces the 16 MB limit, gives the request a traceId (logs, audit,
 * events, `X-Trace-Id`), and maps every error to the SPEC §3 shape without leaking a stack.
 * Authenticated callers are rate-limited per API key / user (lib/http/rate-limit.ts → 429), every
 * request writes one log line (lib/observability/request-log.ts), and 500s go to Sentry when on.
 */

/** `public`: anyone; `session`: web session only; `key|session`: X-API-Key or session. */
export type AuthRule = "public" | "session" | "key|session";

export interface RouteRule {
  auth: AuthRule;
  role: Role;
}

interface RouteOptions<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  auth: AuthRule;
  /** Least role required. Every route says it, so the role matrix reads it off the handler. */
  role: Role;
  params?: P;
  query?: Q;
  /** JSON body schema. An empty body parses as `{}`. Omit for routes that take no JSON body. */
  body?: B;
  /** Let the handler read the raw request (multipart uploads). Size limits still apply. */
  rawBody?: boolean;
}

export interface HandlerArgs<P, Q, B> {
  req: NextRequest;
  params: P;
  query: Q;
  body: B;
  /** Null only on public routes. */
  principal: Principal | null;
  /** Actor + traceId + source, for `mutate`. */
  ctx: ActorContext;
}

type NextContext = { params: Promise<Record<string, string | string[]>> };
export type RouteHandler = ((req: NextRequest, context: NextContext) => Promise<Response>) & { rule: RouteRule };

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function route<
  P extends z.ZodType = z.ZodType<Record<string, string>>,
  Q extends z.ZodType = z.ZodType<Record<string, string>>,
  B extends z.ZodType = z.ZodType<undefined>,
>(
  options: RouteOptions<P, Q, B>,
  handler: (args: HandlerArgs<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown> | unknown,
): RouteHandler {
  const rule: RouteRule = { auth: options.auth, role: options.role };
  const wrapped = async (req: NextRequest, context: NextContext): Promise<Response> => {
    const started = performance.now();
    const incoming = req.headers.get("x-trace-id");
    const scope: RequestScope = {
      traceId: incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : newTraceId(),
      actor: "anonymous",
      source: "web",
    };
    return requestScope.run(scope, async () => {
      let response: Response;
      try {
        response = await handle(req, context, scope);
      } catch (err) {
        response = errorResponse(err, req);
      }
      response.headers.set("x-trace-id", scope.traceId);
      const params = await Promise.resolve(context?.params).catch(() => undefined);
      logRequest({
        method: req.method,
        route: routePattern(req.nextUrl?.pathname ?? new URL(req.url).pathname, params),
        status: response.status,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
      });
      return response;
    });
  };

  async function handle(req: NextRequest, context: NextContext, scope: RequestScope): Promise<Response> {
    const mutating = MUTATING.has(req.method);
    const principal = await authenticate(req, options.auth);
    if (principal) {
      scope.actor = actorName(principal);
      scope.source = principal.kind === "api_key" ? "api" : "web";
      await consumeApiRequest(principal);
      if (!hasRole(principal.role, options.role)) throw forbidden(`This action needs the ${options.role} role`);
      if (mutating && principal.kind === "user") assertSameOrigin(req);
    }

    assertDeclaredSize(req);
    const params = parse(options.params, await context.params, "params");
    const query = parse(options.query, queryObject(req), "query");

    let bodyText = "";
    let body: unknown = undefined;
    if (!options.rawBody && (options.body || mutating)) {
      bodyText = await readBodyText(req);
      if (options.body) body = parse(options.body, parseJson(bodyText), "body");
    }

    const ctx: ActorContext = { actor: scope.actor, traceId: scope.traceId, source: scope.source };
    const run = async () =>
      toResponse(await handler({ req, params, query, body, principal, ctx } as HandlerArgs<z.output<P>, z.output<Q>, z.output<B>>));

    const idempotencyKey = req.headers.get("idempotency-key");
    if (!mutating || !idempotencyKey || !principal) return run();

    const url = req.nextUrl ?? new URL(req.url);
    const principalKey = `${principal.kind}:${principal.id}`;
    // A raw-body route (multipart upload) reads the body itself: hash its bytes (lib/http/multipart.ts),
    // so a retried upload with the same key replays the first answer.
    const hashedBody = options.rawBody ? await rawBodyHashText(req) : bodyText;
    const started = await startIdempotent(
      principalKey,
      idempotencyKey,
      req.method,
      url.pathname,
      requestHash(req.method, url.pathname + url.search, hashedBody),
    );
    if (started.kind === "replay") return started.response;
    scope.idempotencyRecordId = started.recordId;
    let response: Response;
    try {
      response = await run();
    } catch (err) {
      response = errorResponse(err, req);
    }
    scope.idempotencyRecordId = undefined;
    const stored = await response.clone().text();
    await finishIdempotent(started.recordId, response.status, stored);
    return response;
  }

  return Object.assign(wrapped, { rule });
}

async function authenticate(req: NextRequest, rule: AuthRule): Promise<Principal | null> {
  if (rule === "public") return null;
  const key = await apiKeyPrincipal(req);
  if (key === "invalid") throw unauthorized("Invalid API key", "invalid_api_key");
  if (key) {
    if (rule === "session") throw unauthorized("This endpoint requires a signed-in session", "session_required");
    return key;
  }
  const user = await sessionPrincipal(req);
  if (!user) throw unauthorized();
  return user;
}

/** Session mutations must come from our own pages (SameSite=Lax alone lets top-level POSTs through). */
function assertSameOrigin(req: NextRequest): void {
  const origin = req.headers.get("origin");
  const allowed = new Set<string>();
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) {
    const proto = req.headers.get("x-forwarded-proto") ?? (req.nextUrl?.protocol ?? "http:").replace(":", "");
    allowed.add(`${proto}://${host}`);
  }
  for (const url of [config().APP_URL, config().NEXTAUTH_URL]) {
    if (url) allowed.add(new URL(url).origin);
  }
  if (origin ? !allowed.has(origin) : req.headers.get("sec-fetch-site") !== "same-origin") {
    throw forbidden("Cross-origin request refused", "cross_origin");
  }
}

function queryObject(req: NextRequest): Record<string, string | string[]> {
  // No prototype: `?__proto__=a&__proto__=b` is an ordinary (unknown) parameter, not a new prototype.
  const out = Object.create(null) as Record<string, string | string[]>;
  const search = (req.nextUrl ?? new URL(req.url)).searchParams;
  for (const key of new Set(search.keys())) {
    const all = search.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("Invalid JSON", undefined, "invalid_json");
  }
  // A "__proto__" key names nothing in this API, and zod drops it silently from records and loose
  // objects: refuse it rather than answer 200 for data that was never stored. Without the literal
  // text or a \u escape no key can spell it, so ordinary bodies are not walked.
  if (text.includes("__proto__") || text.includes("\\u")) {
    const path = findProtoKey(value);
    if (path) {
      throw badRequest(
        'The key "__proto__" is not allowed in a request body',
        { location: "body", fields: { [path.join(".")]: ['The key "__proto__" is not allowed'] } },
        "invalid_key",
      );
    }
  }
  return value;
}

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, where: "body" | "query" | "params"): z.output<S> {
  if (!schema) return value as z.output<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

function toResponse(value: unknown): Response {
  if (value instanceof Response) return value;
  return json(value);
}

/** JSON response; API responses are never cached by browsers, proxies or the service worker. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  // Plain Response.json: half the cost of NextResponse.json, whose cookie API handlers never use.
  return Response.json(body, {
    status: init.status ?? 200,
    headers: { "cache-control": "no-store", ...init.headers },
  });
}

/**
 * Conditional GET for last-updated endpoints: 304 when If-None-Match matches, else the body with
 * its ETag. `etag` is a quoted strong validator.
 */
export function withETag(req: Request, etag: string, body: () => unknown): Response {
  const header = req.headers.get("if-none-match");
  if (header && header.split(",").some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
    return new Response(null, { status: 304, headers: { etag, "cache-control": "no-cache" } });
  }
  return json(body(), { headers: { etag, "cache-control": "no-cache" } });
}

export function errorResponse(err: unknown, req?: Request): Response {
  const apiError = toApiError(err);
  if (apiError.status >= 500) {
    logger.error({ err, method: req?.method, url: req?.url }, "unhandled error");
    void reportError(err, { traceId: requestScope.getStore()?.traceId, method: req?.method, url: req?.url });
  }
  return json(errorBody(apiError), { status: apiError.status, headers: apiError.headers });
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return validationError(err, "body");
  const code = (err as { code?: string } | null)?.code;
  if (code === "P2025") return new ApiError(404, "not_found", "Not found");
  if (code === "P2002") return new ApiError(409, "conflict", "A record with this key already exists");
  if (code === "P2003") return new ApiError(409, "conflict", "A related record is missing or still referenced");
  return new ApiError(500, "internal_error", "An internal error occurred");
}
