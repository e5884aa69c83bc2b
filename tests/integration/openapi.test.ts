import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { RouteRule } from "@/lib/http/route";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/http/openapi/document";
import { REGISTRY_FILE, renderRegistry } from "@/scripts/openapi/registry";
import { DOCUMENT_FILE, renderDocument } from "@/scripts/openapi/files";
import * as openapiRoute from "@/app/api/openapi.json/route";
import { call } from "@/tests/helpers/http";
import { createPrincipals } from "@/tests/helpers/principals";

/**
 * The OpenAPI document (lib/http/openapi/document.ts) against the routes on disk: every
 * app/api/**\/route.ts and each of its methods is in it with the rule `route()` enforces, it is a
 * valid OpenAPI 3.1 document (checked by a validator package), and what is served at
 * /api/openapi.json and checked in (registry, clients/typescript/openapi.json) is current.
 * After adding a route: `npm run openapi`.
 */

const API_DIR = path.resolve(__dirname, "../../app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Every route file on disk with its OpenAPI path (`[id]` → `{id}`, `[...x]` → `{x}`). */
function routesOnDisk(dir = API_DIR, prefix = "/api"): { path: string; file: string }[] {
  const out: { path: string; file: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const seg = entry.name.replace(/^\[(?:\.\.\.)?(.+)\]$/, "{$1}");
    if (entry.isDirectory()) out.push(...routesOnDisk(full, `${prefix}/${seg}`));
    else if (entry.name === "route.ts") out.push({ path: prefix, file: full });
  }
  return out;
}

let doc: OpenApiDocument;
beforeAll(() => {
  doc = buildOpenApiDocument();
});

describe("OpenAPI document", () => {
  it("the checked-in route registry lists every route file (else: npm run openapi)", () => {
    expect(fs.readFileSync(REGISTRY_FILE, "utf8"), "lib/http/openapi/route-registry.ts is stale: run `npm run openapi`").toBe(
      renderRegistry(),
    );
  });

  const routes = routesOnDisk();
  it("finds the API routes on disk", () => expect(routes.length).toBeGreaterThan(100));

  it("documents every route and method on disk, with the auth rule and role route() enforces", async () => {
    const missing: string[] = [];
    const wrong: string[] = [];
    const expected = new Set<string>();
    for (const r of routes) {
      const mod = (await import(r.file)) as Record<string, unknown>;
      for (const method of METHODS) {
        if (typeof mod[method] !== "function") continue;
        expected.add(`${method} ${r.path}`);
        const op = doc.paths[r.path]?.[method.toLowerCase()] as Record<string, unknown> | undefined;
        if (!op) {
          missing.push(`${method} ${r.path}`);
          continue;
        }
        const rule = (mod[method] as { rule?: RouteRule }).rule;
        if (!rule) continue; // next-auth's own handler
        if (op["x-auth"] !== rule.auth || op["x-role"] !== rule.role || op["x-contract"] !== rule.contract) {
          wrong.push(`${method} ${r.path}: documented ${op["x-auth"]}/${op["x-role"]}, route() says ${rule.auth}/${rule.role}`);
        }
        const security = op.security as Record<string, unknown>[];
        const schemes = security.flatMap((s) => Object.keys(s)).sort();
        const want = rule.auth === "public" ? [] : rule.auth === "session" ? ["session"] : ["apiKey", "session"];
        if (JSON.stringify(schemes) !== JSON.stringify(want)) wrong.push(`${method} ${r.path}: security ${schemes}`);
        const params = (op.parameters ?? []) as { $ref?: string }[];
        const hasIdempotency = params.some((p) => p.$ref === "#/components/parameters/IdempotencyKey");
        if (MUTATING.has(method) && rule.auth !== "public" && !hasIdempotency) wrong.push(`${method} ${r.path}: no Idempotency-Key`);
        const responses = op.responses as Record<string, { $ref?: string }>;
        if (rule.auth !== "public" && responses["401"]?.$ref !== "#/components/responses/Unauthorized") {
          wrong.push(`${method} ${r.path}: no 401`);
        }
        if (responses["500"]?.$ref !== "#/components/responses/InternalError") wrong.push(`${method} ${r.path}: no 500`);
      }
    }
    expect(missing, "routes on disk missing from the document (run `npm run openapi`)").toEqual([]);
    expect(wrong).toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(
      documented.filter((o) => !expected.has(o)),
      "documented operations without a route",
    ).toEqual([]);
  });

  it("is a valid OpenAPI 3.1 document with unique operationIds and resolvable $refs", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");

    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)].map((m) => [m[1], m[2]] as const));
    const dangling = [...refs].filter(([kind, name]) => !(doc.components as Record<string, Record<string, unknown>>)[kind]?.[name]);
    expect(dangling).toEqual([]);
    expect(text).not.toContain('"$ref":"#/$defs');
  });

  it("every example in the document is valid against the schema beside it", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: "openapi", components: doc.components });
    const media: { where: string; schema: object; example: unknown }[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const body = op.requestBody as { content?: Record<string, { schema: object; example?: unknown }> } | undefined;
        const json = body?.content?.["application/json"];
        if (json && "example" in json) media.push({ where: `${m} ${p} request`, schema: json.schema, example: json.example });
      }
    }
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        for (const [status, res] of Object.entries(
          op.responses as Record<string, { content?: Record<string, { schema: object; example?: unknown }> }>,
        )) {
          const json = res.content?.["application/json"];
          if (json && "example" in json) media.push({ where: `${m} ${p} ${status}`, schema: json.schema, example: json.example });
        }
      }
    }
    for (const [name, res] of Object.entries(
      doc.components.responses as Record<string, { content: Record<string, { schema: object; example: unknown }> }>,
    )) {
      const json = res.content["application/json"];
      media.push({ where: name, schema: json.schema, example: json.example });
    }
    expect(media.length).toBeGreaterThanOrEqual(17);
    for (const { where, schema, example } of media) {
      const ref = (schema as { $ref?: string }).$ref;
      const validate = ajv.compile(ref ? { $ref: `openapi${ref}` } : schema);
      expect(validate(example), `${where}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("documents the SPEC §3 error shape and the error statuses per operation", () => {
    expect(doc.components.schemas.Error).toMatchObject({ required: ["error", "code"] });
    const deduct = doc.paths["/api/finished-goods/{metrc}/deduct"].post as { responses: Record<string, unknown> };
    expect(Object.keys(deduct.responses).sort()).toEqual(["200", "400", "401", "403", "404", "409", "413", "429", "500"]);
    const apex = doc.paths["/api/finished-goods/{metrc}/apex-calculate"].get as { responses: Record<string, unknown> };
    expect(apex.responses["304"]).toBeDefined();
  });

  it("is served at GET /api/openapi.json to any signed-in caller or API key, and to nobody else", async () => {
    const p = await createPrincipals();
    const served = await call(openapiRoute.GET, { path: "/api/openapi.json", headers: p.headers.viewer });
    expect(served.status).toBe(200);
    expect(served.json.openapi).toBe("3.1.1");
    expect(served.json).toEqual(JSON.parse(JSON.stringify(doc)));
    expect((await call(openapiRoute.GET, { path: "/api/openapi.json", headers: p.headers.apiKey })).status).toBe(200);
    expect((await call(openapiRoute.GET, { path: "/api/openapi.json" })).status).toBe(401);
  });

  it("the checked-in clients/typescript/openapi.json is current (else: npm run openapi)", () => {
    expect(
      fs.readFileSync(DOCUMENT_FILE, "utf8") === renderDocument(),
      "clients/typescript/openapi.json is stale: run `npm run openapi`",
    ).toBe(true);
  });
});
