import { createHash } from "node:crypto";
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
import { consumeApiRequest, refundNotModified } from "@/lib/http/rate-limit";
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
  /** A route of API-CONTRACT.md (lib/http/contract-routes.ts): unknown fields are dropped, not a 400. */
  contract: boolean;
  /**
   * The zod schemas the route parses with and answers with, kept for the OpenAPI document
   * (lib/http/openapi/document.ts): the document is generated from the very schemas the route uses.
   */
  schemas: RouteSchemas;
}

export interface RouteSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success body (lib/domain/**\/*-response.ts); absent = documented as a generic object. */
  response?: z.ZodType;
  /** The success status the handler answers with (201 for creations); 200 when absent. */
  status?: number;
  /** The handler reads the raw request (multipart upload). */
  rawBody?: boolean;
  /** The handler answers 304 to a matching If-None-Match (conditional GET). */
  etag?: boolean;
}

interface RouteOptions<A extends AuthRule, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  auth: A;
  /** Least role required. Every route says it, so the role matrix reads it off the handler. */
  role: Role;
  params?: P;
  query?: Q;
  /** JSON body schema. An empty body parses as `{}`. Omit for routes that take no JSON body. */
  body?: B;
  /** Let the handler read the raw request (multipart uploads). Size limits still apply. */
  rawBody?: boolean;
  /**
   * A route of API-CONTRACT.md: the old server ignored fields and query parameters it did not know,
   * and ApexAPI and browsers (cache-busters) send them. Unknown keys are dropped (logged at debug)
   * instead of answering 400; every other check stays. Routes we added keep strict parsing.
   * tests/integration/contract-tolerance.test.ts keeps this flag in step with lib/http/contract-routes.ts.
   */
  contract?: boolean;
  /**
   * The success body's schema (a lib/domain/**\/*-response.ts export), for the OpenAPI document and
   * tests/integration/openapi-responses.test.ts. Documentation only: the handler's answer is not parsed.
   */
  response?: z.ZodType;
  /** The success status when not 200 (documentation; the handler sets the real one). */
  status?: number;
  /** The handler answers 304 to a matching If-None-Match (documentation). */
  etag?: boolean;
}

/** The caller: null only on public routes (`auth: "public"`). */
export type PrincipalFor<A extends AuthRule> = A extends "public" ? Principal | null : Principal;

export interface HandlerArgs<P, Q, B, A extends AuthRule = AuthRule> {
  req: NextRequest;
  params: P;
  query: Q;
  body: B;
  /** Null only on public routes. */
  principal: PrincipalFor<A>;
  /** Actor + traceId + source, for `mutate`. */
  ctx: ActorContext;
}

type NextContext = { params: Promise<Record<string, string | string[]>> };
export type RouteHandler = ((req: NextRequest, context: NextContext) => Promise<Response>) & { rule: RouteRule };

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function route<
  A extends AuthRule,
  P extends z.ZodType = z.ZodType<Record<string, string>>,
  Q extends z.ZodType = z.ZodType<Record<string, string>>,
  B extends z.ZodType = z.ZodType<undefined>,
>(
  options: RouteOptions<A, P, Q, B>,
  handler: (args: HandlerArgs<z.output<P>, z.output<Q>, z.output<B>, A>) => Promise<unknown> | unknown,
): RouteHandler {
  const rule: RouteRule = {
    auth: options.auth,
    role: options.role,
    contract: options.contract === true,
    schemas: {
      params: options.params,
      query: options.query,
      body: options.body,
      response: options.response,
      status: options.status,
      rawBody: options.rawBody,
      etag: options.etag,
    },
  };
  const tolerant = rule.contract;
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
    const params = parse(options.params, await context.params, "params", false);
    const query = parse(options.query, queryObject(req), "query", tolerant);

    let bodyText = "";
    let body: unknown = undefined;
    if (!options.rawBody && (options.body || mutating)) {
      bodyText = await readBodyText(req);
      if (options.body) body = parse(options.body, parseJson(bodyText), "body", tolerant);
    }

    const ctx: ActorContext = { actor: scope.actor, traceId: scope.traceId, source: scope.source };
    const run = async () =>
      toResponse(await handler({ req, params, query, body, principal, ctx } as HandlerArgs<z.output<P>, z.output<Q>, z.output<B>, A>));

    const idempotencyKey = req.headers.get("idempotency-key");
    if (!mutating || !idempotencyKey || !principal) {
      const response = await run();
      if (response.status === 304 && principal) await refundNotModified(principal);
      return response;
    }

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

function parse<S extends z.ZodType>(
  schema: S | undefined,
  value: unknown,
  where: "body" | "query" | "params",
  tolerant: boolean,
): z.output<S> {
  if (!schema) return value as z.output<S>;
  let result = schema.safeParse(value);
  if (!result.success && tolerant) {
    const dropped: string[] = [];
    // `value` is this request's own parse (JSON or query), so keys are removed in place. Each pass
    // removes the keys zod named; a key inside a dropped-then-valid branch can surface
    // only on the next pass, so repeat (bounded) until no unknown key is left.
    for (let pass = 0; pass < 5 && !result.success; pass++) {
      const unknown = unknownKeyPaths(result.error.issues);
      if (unknown.length === 0) break;
      let removed = false;
      for (const path of unknown) removed = dropAt(value, path) || removed;
      if (!removed) break;
      dropped.push(...unknown.map((p) => p.join(".")));
      result = schema.safeParse(value);
    }
    if (dropped.length) logger.debug({ location: where, dropped }, "unknown fields ignored (contract route)");
  }
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

/**
 * Paths (to the key itself) of every `unrecognized_keys` issue. Inside a union only branches that
 * failed on unknown keys alone count (a key one branch does not know may be what another needs);
 * a branch's issue paths are relative to the union.
 */
function unknownKeyPaths(issues: readonly z.core.$ZodIssue[], base: PropertyKey[] = []): PropertyKey[][] {
  const out: PropertyKey[][] = [];
  for (const issue of issues) {
    const at = [...base, ...issue.path];
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) out.push([...at, key]);
    else if (issue.code === "invalid_union") {
      for (const branch of issue.errors) {
        if (branch.every((i) => i.code === "unrecognized_keys")) out.push(...unknownKeyPaths(branch, at));
      }
    }
  }
  return out;
}

function dropAt(value: unknown, path: PropertyKey[]): boolean {
  let node = value;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(node, last)) return false;
  delete (node as Record<PropertyKey, unknown>)[last];
  return true;
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

/**
 * A JSON answer with a strong ETag of its bytes: 304 (no body) when If-None-Match matches. For
 * polled reads whose value is already memoised (apex-calculate): the poll that finds nothing new
 * costs a hash, not a transfer.
 */
export function jsonWithETag(req: Request, value: unknown): Response {
  const text = JSON.stringify(value);
  const etag = `"${createHash("sha1").update(text).digest("base64url")}"`;
  return withETag(req, etag, () => value);
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
