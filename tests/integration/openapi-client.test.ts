import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import ts from "typescript";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTE_MODULES } from "@/lib/http/openapi/route-registry";
import { DOCUMENT_FILE, TYPES_FILE, renderTypes } from "@/scripts/openapi/files";
import { createPrincipals } from "@/tests/helpers/principals";
import { buildFinishedGood } from "@/prisma/seed/finished-good";
import { followEvents, pollApexCalculate, preRollClient, type EventEnvelope } from "@/clients/typescript/example";

/**
 * The typed client for integrators (clients/typescript/): its generated types are current, the
 * example type-checks against them, and it runs — in this process and as `tsx example.ts --once`
 * — against a real HTTP server (node:http around the route handlers, as Next would call them):
 * apex-calculate answers 304 to an unchanged ETag and fresh numbers after a deduction, and the
 * event feed is followed to the end and resumed from its cursor.
 */

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "clients/typescript/example.ts");
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** Static segments win over `{params}`, as in Next's router. */
const table = ROUTE_MODULES.map((r) => ({
  ...r,
  params: (r.path.match(/\{/g) ?? []).length,
  regex: new RegExp("^" + r.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)") + "/?$"),
})).sort((a, b) => a.params - b.params || b.path.length - a.path.length);

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost:3000");
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const match = table.map((r) => ({ r, m: r.regex.exec(url.pathname) })).find((x) => x.m);
  const handler = match && METHODS.has(req.method ?? "") ? (match.r.module[req.method!] as Handler | undefined) : undefined;
  if (!match || !handler) {
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "Not found", code: "not_found" }));
    return;
  }
  const params = Object.fromEntries(Object.entries(match.m!.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const response = await handler(new NextRequest(url, { method: req.method, headers, body }), { params: Promise.resolve(params) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

let baseUrl = "";
let apiKey = "";
let metrc = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const p = await createPrincipals();
  apiKey = p.key.key;
  const created = await fetch(`${baseUrl}/api/finished-goods`, {
    method: "POST",
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: JSON.stringify(buildFinishedGood({ strain: "Gelato 41", grams: 900 })),
  });
  expect(created.status).toBe(201);
  metrc = ((await created.json()) as { package: { metrc_number: string } }).package.metrc_number;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("typed client (clients/typescript)", () => {
  it("schema.d.ts is what openapi-typescript makes of the current document (else: npm run openapi)", async () => {
    const expected = await renderTypes(JSON.parse(fs.readFileSync(DOCUMENT_FILE, "utf8")));
    expect(fs.readFileSync(TYPES_FILE, "utf8") === expected, "clients/typescript/schema.d.ts is stale: run `npm run openapi`").toBe(true);
  });

  it("the example type-checks against the generated types (strict)", () => {
    const program = ts.createProgram([EXAMPLE], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
      types: ["node"],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });

  it("polls apex-calculate with If-None-Match: 304 while unchanged, new numbers after a deduction", async () => {
    const client = preRollClient(baseUrl, apiKey);
    const first = await pollApexCalculate(client, metrc, null);
    expect(first.changed).toBe(true);
    expect(first.etag).toMatch(/^"[^"]+"$/);
    expect(first.calculation).toMatchObject({ success: true, metrc_number: metrc, available_grams: 900 });

    const unchanged = await pollApexCalculate(client, metrc, first.etag);
    expect(unchanged).toEqual({ changed: false, etag: first.etag });

    const { response } = await client.POST("/api/finished-goods/{metrc}/deduct", {
      params: { path: { metrc } },
      body: { grams: 35, reason: "sale" },
    });
    expect(response.status).toBe(200);
    const after = await pollApexCalculate(client, metrc, first.etag);
    expect(after.changed).toBe(true);
    expect(after.etag).not.toBe(first.etag);
    expect(after.calculation?.available_grams).toBe(865);
  });

  it("follows the event feed to the end and resumes from its cursor", async () => {
    const client = preRollClient(baseUrl, apiKey);
    const seen: EventEnvelope[] = [];
    const cursor = await followEvents(client, 0, (e) => void seen.push(e), "finished_good.*");
    const mine = seen.filter((e) => (e.payload as { metrc_number?: string }).metrc_number === metrc).map((e) => e.type);
    expect(mine).toEqual(["finished_good.created", "finished_good.deducted"]);
    expect(cursor).toBe(seen[seen.length - 1].id);
    const again: EventEnvelope[] = [];
    expect(await followEvents(client, cursor, (e) => void again.push(e), "finished_good.*")).toBe(cursor);
    expect(again).toEqual([]);
  });

  it("runs as a program: `tsx clients/typescript/example.ts --once`", async () => {
    const { stdout } = await promisify(execFile)(path.join(ROOT, "node_modules/.bin/tsx"), [EXAMPLE, "--once"], {
      cwd: ROOT,
      env: { ...process.env, PRT_BASE_URL: baseUrl, PRT_API_KEY: apiKey, PRT_METRC: metrc },
      timeout: 30_000,
    });
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ apex: metrc, available_grams: 865 });
    expect(lines.some((l) => l.type === "finished_good.deducted")).toBe(true);
    expect(lines[lines.length - 1]).toEqual({ cursor: expect.any(Number) });
  });
});
