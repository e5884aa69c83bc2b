import { z } from "zod";
import type { RouteHandler, RouteRule } from "@/lib/http/route";
import { APP_VERSION } from "@/lib/version";
import { ROUTE_MODULES, RESPONSE_MODULES } from "@/lib/http/openapi/route-registry";

/**
 * The OpenAPI 3.1 document of every route, generated from the zod schemas the routes themselves
 * parse with (`route()` keeps them on `handler.rule.schemas`) and answer with (`response:`, the
 * lib/domain/**\/*-response.ts schemas the wire-contract test checks against real responses).
 *
 * Converter: zod 4's own `z.toJSONSchema` (target draft 2020-12, the dialect OpenAPI 3.1 uses),
 * not a zod → OpenAPI library: it ships with the zod we already pin, so it can never lag a zod
 * release, it converts a whole registry of named schemas with `$ref`s between them (our
 * components), and the OpenAPI wrapper around the schemas (paths, security, errors) is small
 * enough to write here. Served at `GET /api/openapi.json`, rendered at `/api-docs`, written to
 * clients/typescript/openapi.json by `npm run openapi`.
 */

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
const MUTATING = new Set<Method>(["POST", "PUT", "PATCH", "DELETE"]);

type Json = Record<string, unknown>;

/** Response bodies that are not JSON, by "METHOD path". */
const NON_JSON: Record<string, { type: string; description: string; schema: Json }> = {
  "GET /api/events/stream": {
    type: "text/event-stream",
    description: "Server-sent events: one `event:` per envelope (the same envelopes as `GET /api/events`), `id:` = the event id.",
    schema: { type: "string" },
  },
  "GET /api/admin/backups/{name}/download": {
    type: "application/octet-stream",
    description: "The backup file.",
    schema: { type: "string", contentEncoding: "binary" },
  },
};

/** A few worked examples of success bodies, by "METHOD path". */
const EXAMPLES: Record<string, unknown> = {
  "GET /api/events": {
    events: [
      {
        id: 42,
        type: "finished_good.deducted",
        payload: {
          metrc_number: "1A4060300000000000001234",
          strain: "Gelato 41",
          previous_grams: 1235,
          current_grams: 1200,
          grams: 35,
          reason: "sale",
        },
        metadata: { timestamp: "2026-12-07T14:03:11.512Z", actor: "api-key:ApexAPI", traceId: "c1b0a4d2e9f34c7b", source: "api" },
      },
    ],
    lastEventId: 42,
    hasMore: false,
  },
  "GET /api/finished-goods/{metrc}/apex-calculate": {
    success: true,
    metrc_number: "1A4060300000000000001234",
    available_grams: 1200,
    calculated_units: {
      singles_0_5g: {
        units: 2400,
        grams_used: 1200,
        excluded: false,
        name: "0.5g Singles",
        grams_per_unit: 0.5,
        manual_units: null,
        held_units: 0,
        source: "default",
      },
    },
    total_grams_allocated: 1200,
    remaining_grams: 0,
    strain: "Gelato 41",
    status: "active",
    apex_auto_inventory: true,
    effective_grams: 1200,
    held_grams: 0,
  },
};

/** Request bodies worth an example, by "METHOD path" (tests check each against its schema). */
const REQUEST_EXAMPLES: Record<string, unknown> = {
  "POST /api/batch/{id}/counts": { counts_0_5: 1200, counts_0_7: 0, counts_1_0: 340 },
  "POST /api/batches/{id}/stage": { stage: 3 },
  "POST /api/finished-goods": { metrc_number: "1A4060300000000000001234", strain: "Gelato 41", grams: 1235, notes: "shelf A" },
  "POST /api/finished-goods/{metrc}/deduct": { grams: 35, reason: "sale" },
  "POST /api/finished-goods/{metrc}/add": { grams: 2.5, reason: "recount" },
  "POST /api/api-key/regenerate": { grace_hours: 0 },
  "POST /api/api-keys/{id}/regenerate": { grace_hours: 24 },
};

const ERROR_RESPONSES: Record<string, { description: string; example: Json }> = {
  "400": {
    description: "Bad input: the request did not parse (`validation_failed` lists every failing field in `details.fields`).",
    example: {
      error: "Invalid value for grams",
      code: "validation_failed",
      details: { location: "body", fields: { grams: ["Too small"] } },
    },
  },
  "401": {
    description: "No (or an invalid) X-API-Key and no signed-in session, or an API key on a session-only route.",
    example: { error: "Authentication required", code: "unauthorized" },
  },
  "403": {
    description: "The caller's role is below the route's least role, or a session mutation came from another origin.",
    example: { error: "This action needs the operator role", code: "forbidden" },
  },
  "404": { description: "The record named in the path does not exist.", example: { error: "Not found", code: "not_found" } },
  "409": {
    description: "A business-rule conflict, or an Idempotency-Key reused for a different request.",
    example: { error: "Idempotency-Key was already used for a different request", code: "idempotency_key_reused", details: { key: "…" } },
  },
  "413": { description: "Body over 16 MB.", example: { error: "File too large (max 16 MB)", code: "payload_too_large" } },
  "429": {
    description: "Rate limit per API key / user; `Retry-After` says when to try again.",
    example: { error: "Too many requests, try again later", code: "rate_limited", details: { retry_after_seconds: 12 } },
  },
  "500": {
    description: "An unexpected failure (logged with the `X-Trace-Id`; the stack is never sent).",
    example: { error: "An internal error occurred", code: "internal_error" },
  },
};
const ERROR_NAMES: Record<string, string> = {
  "400": "BadRequest",
  "401": "Unauthorized",
  "403": "Forbidden",
  "404": "NotFound",
  "409": "Conflict",
  "413": "PayloadTooLarge",
  "429": "TooManyRequests",
  "500": "InternalError",
};

const AUTH_TEXT: Record<RouteRule["auth"], string> = {
  public: "public (no credentials)",
  session: "`session` — a signed-in browser session only (an X-API-Key is refused with 401)",
  "key|session": "`key|session` — an `X-API-Key` or a signed-in session",
};

/** `fooResponseSchema` → `FooResponse`. */
function componentName(exportName: string): string {
  const base = exportName.replace(/Schema$/, "");
  return base.charAt(0).toUpperCase() + base.slice(1);
}

function operationId(method: Method, path: string): string {
  const words = path
    .replace(/^\/api\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((seg) => (seg.startsWith("{") ? `by-${seg.slice(1, -1)}` : seg))
    .join("-")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join("");
}

/**
 * JSON Schema of a request-side schema (what a client sends), without the `$schema` line. A
 * contract route ignores fields it does not know (`route({contract: true})`), so its schema does
 * not forbid them.
 */
function inputSchema(schema: z.ZodType, contract: boolean): Json {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Json;
  delete out.$schema;
  if (contract) allowUnknownKeys(out);
  return out;
}

function allowUnknownKeys(node: unknown): void {
  if (Array.isArray(node)) node.forEach(allowUnknownKeys);
  else if (node && typeof node === "object") {
    const obj = node as Json;
    if (obj.additionalProperties === false) delete obj.additionalProperties;
    Object.values(obj).forEach(allowUnknownKeys);
  }
}

export interface OpenApiDocument {
  openapi: string;
  info: Json;
  servers: Json[];
  tags: Json[];
  security: Json[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; responses: Json; parameters: Json; securitySchemes: Json };
}

interface Operation {
  path: string;
  method: Method;
  rule: RouteRule;
}

export function collectOperations(): Operation[] {
  const out: Operation[] = [];
  for (const entry of ROUTE_MODULES) {
    for (const method of METHODS) {
      const handler = entry.module[method] as (RouteHandler & Partial<Pick<RouteHandler, "rule">>) | undefined;
      if (typeof handler !== "function") continue;
      // next-auth's own handler has no rule: documented as public.
      const rule: RouteRule = handler.rule ?? { auth: "public", role: "viewer", contract: false, schemas: {} };
      out.push({ path: entry.path, method, rule });
    }
  }
  return out;
}

let cached: OpenApiDocument | null = null;

/** The document, built once per process (the routes and schemas do not change at run time). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}

export function buildOpenApiDocument(): OpenApiDocument {
  const operations = collectOperations();

  // Named components: every zod schema exported by a response module, plus each route's own
  // response schema when it is not one of those. Converting the registry at once turns a
  // component used inside another (a batch inside a batch list) into a `$ref`.
  const registry = z.registry<{ id: string }>();
  const names = new Map<z.ZodType, string>();
  const taken = new Set<string>();
  const name = (schema: z.ZodType, wanted: string) => {
    const existing = names.get(schema);
    if (existing) return existing;
    let id = wanted;
    for (let n = 2; taken.has(id); n++) id = `${wanted}${n}`;
    taken.add(id);
    names.set(schema, id);
    registry.add(schema, { id });
    return id;
  };
  for (const { module } of RESPONSE_MODULES) {
    // Sorted: a namespace's key order differs between ESM and CommonJS, and a schema exported under
    // two names (an alias) must get the same component name in the served and the checked-in document.
    for (const [exportName, value] of Object.entries(module).sort(([a], [b]) => a.localeCompare(b))) {
      if (value instanceof z.ZodType && exportName.endsWith("Schema")) name(value, componentName(exportName));
    }
  }
  for (const op of operations) {
    const response = op.rule.schemas.response;
    if (response) name(response, componentName(operationId(op.method, op.path)) + "Response");
  }
  const converted = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "output",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  const schemas: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(converted.schemas).sort(([a], [b]) => a.localeCompare(b))) {
    const copy = { ...schema };
    delete copy.$schema;
    delete copy.$id;
    delete copy.id;
    schemas[id] = copy;
  }
  schemas.Error = {
    type: "object",
    description:
      "The error shape of every route (SPEC §3). `error` is a human message (a string: ApexAPI reads it), `code` a machine code; `details` when there is more (validation: `details.fields`). A few contract routes add fields beside them (`success: false`, `available_grams`).",
    properties: {
      error: { type: "string" },
      code: { type: "string" },
      details: { type: "object", additionalProperties: true },
    },
    required: ["error", "code"],
    additionalProperties: true,
  };

  const paths: Record<string, Record<string, Json>> = {};
  const tags = new Set<string>();
  const operationIds = new Set<string>();
  const uniqueId = (wanted: string) => {
    let id = wanted;
    for (let n = 2; operationIds.has(id); n++) id = `${wanted}${n}`;
    operationIds.add(id);
    return id;
  };
  for (const op of operations) {
    const key = `${op.method} ${op.path}`;
    const { rule } = op;
    const s = rule.schemas;
    const tag = op.path.split("/")[2] ?? "api";
    tags.add(tag);

    const parameters: Json[] = [];
    const pathNames = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const paramProps = (s.params ? inputSchema(s.params, rule.contract).properties : undefined) as Record<string, Json> | undefined;
    for (const p of pathNames) parameters.push({ name: p, in: "path", required: true, schema: paramProps?.[p] ?? { type: "string" } });
    if (s.query) {
      const q = inputSchema(s.query, rule.contract);
      const props = (q.properties ?? {}) as Record<string, Json>;
      const required = new Set((q.required as string[] | undefined) ?? []);
      for (const [p, schema] of Object.entries(props)) {
        parameters.push({ name: p, in: "query", required: required.has(p), schema });
      }
    }
    if (s.etag) {
      parameters.push({
        name: "If-None-Match",
        in: "header",
        required: false,
        description: "The `ETag` of the last answer: a bodyless 304 when nothing changed since.",
        schema: { type: "string" },
        example: '"k3QfW1lS0m9…"',
      });
    }
    if (MUTATING.has(op.method) && rule.auth !== "public") parameters.push({ $ref: "#/components/parameters/IdempotencyKey" });

    const successStatus = String(s.status ?? 200);
    const nonJson = NON_JSON[key];
    let success: Json;
    if (nonJson) {
      success = { description: nonJson.description, content: { [nonJson.type]: { schema: nonJson.schema } } };
    } else if (s.response) {
      const media: Json = { schema: { $ref: `#/components/schemas/${names.get(s.response)}` } };
      if (EXAMPLES[key]) media.example = EXAMPLES[key];
      success = { description: "Success.", content: { "application/json": media } };
    } else {
      const media: Json = {
        schema: {
          type: "object",
          additionalProperties: true,
          description: "Not yet described by a response schema: a JSON object (see ../shared/API-CONTRACT.md for this route's fields).",
        },
      };
      if (EXAMPLES[key]) media.example = EXAMPLES[key];
      success = { description: "Success (response schema not yet described).", content: { "application/json": media } };
    }
    const responses: Json = { [successStatus]: success };
    if (s.etag) responses["304"] = { description: "Not modified: `If-None-Match` matched the current `ETag`." };
    const errors = new Set<string>(["500"]);
    if (s.params || s.query || s.body || s.rawBody || MUTATING.has(op.method)) errors.add("400");
    if (rule.auth !== "public") ["401", "403", "429"].forEach((c) => errors.add(c));
    if (pathNames.length) errors.add("404");
    if (MUTATING.has(op.method)) ["409", "413"].forEach((c) => errors.add(c));
    for (const code of [...errors].sort()) responses[code] = { $ref: `#/components/responses/${ERROR_NAMES[code]}` };

    const description = [
      `**Auth:** ${AUTH_TEXT[rule.auth]}.`,
      rule.auth === "public"
        ? ""
        : `**Least role:** \`${rule.role}\` (viewer < operator < admin; an API key has its own role, operator by default).`,
      rule.contract
        ? "A route of API-CONTRACT.md (PreRollTracker 2.0.0): unknown body fields and query parameters are ignored."
        : "Unknown body fields and query parameters are refused with 400.",
      MUTATING.has(op.method) && rule.auth !== "public"
        ? "Send an `Idempotency-Key` to make retries safe: the first answer is replayed for 24 h (`Idempotent-Replayed: true`)."
        : "",
    ]
      .filter(Boolean)
      .join("\n\n");

    const operation: Json = {
      operationId: uniqueId(operationId(op.method, op.path)),
      summary: `${op.method} ${op.path}`,
      description,
      tags: [tag],
      security: rule.auth === "public" ? [] : rule.auth === "session" ? [{ session: [] }] : [{ apiKey: [] }, { session: [] }],
      "x-auth": rule.auth,
      "x-role": rule.role,
      "x-contract": rule.contract,
      ...(parameters.length ? { parameters } : {}),
      responses,
    };
    if (s.body) {
      const media: Json = { schema: inputSchema(s.body, rule.contract) };
      if (REQUEST_EXAMPLES[key] !== undefined) media.example = REQUEST_EXAMPLES[key];
      operation.requestBody = { required: true, content: { "application/json": media } };
    } else if (s.rawBody) {
      operation.requestBody = {
        required: true,
        content: {
          "multipart/form-data": { schema: { type: "object", properties: { file: { type: "string", contentEncoding: "binary" } } } },
        },
      };
    }
    (paths[op.path] ??= {})[op.method.toLowerCase()] = operation;
  }

  const componentsResponses: Json = {};
  for (const [code, { description, example }] of Object.entries(ERROR_RESPONSES)) {
    componentsResponses[ERROR_NAMES[code]] = {
      description,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" }, example } },
    };
  }

  return {
    openapi: "3.1.1",
    info: {
      title: "PreRoll Tracker API",
      version: APP_VERSION,
      description:
        "The HTTP API of PreRoll Tracker: the PreRollTracker 2.0.0 contract ApexAPI uses (operations marked `x-contract: true`) and the routes added since. Authenticate with `X-API-Key` (Admin → API keys) or a signed-in session. Errors always have the shape `{error, code, details?}`. Every answer carries `X-Trace-Id`.",
    },
    servers: [{ url: "/", description: "This server" }],
    tags: [...tags].sort().map((t) => ({ name: t })),
    security: [{ apiKey: [] }, { session: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas,
      responses: componentsResponses,
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description:
            "Any 1–255 visible ASCII characters, new per logical request. A retry with the same key gets the first answer replayed (24 h); the same key with a different request is a 409.",
          schema: { type: "string", minLength: 1, maxLength: 255 },
          example: "5b7e0c1a-2f4d-4c1e-9a0b-6d3f2e8c7a91",
        },
      },
      securitySchemes: {
        apiKey: {
          type: "apiKey",
          in: "header",
          name: "X-API-Key",
          description: "An API key (`prt_…`) from Admin → API keys; it has its own role (operator by default).",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description:
            "The signed-in browser session (`__Secure-next-auth.session-token` over https). Mutations must come from this origin.",
        },
      },
    },
  };
}
