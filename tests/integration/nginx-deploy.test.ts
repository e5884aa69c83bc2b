import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { NextRequest } from "next/server";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { clientIp } from "@/lib/auth/login-limiter";
import { createPrincipals } from "@/tests/helpers/principals";
import * as streamRoute from "@/app/api/events/stream/route";
import * as healthRoute from "@/app/api/health/route";

/**
 * The shipped nginx site (deploy/nginx/preroll-tracker.conf) run by Debian's nginx in front of the
 * app's route handlers: only its ports, upstream address and certificate paths are changed (a
 * self-signed certificate), and the http block around it gzips broadly, as a host may. Through it
 * over https: a live SSE event arrives within 1 s and uncompressed, the app receives the client
 * address headers it reads for rate limits, plain http is redirected, an oversized body gets the
 * app's JSON error shape.
 */

const NGINX = "/usr/sbin/nginx";
const SITE = path.resolve(import.meta.dirname, "../../deploy/nginx/preroll-tracker.conf");
const ENV: Record<string, string> = {
  EVENTS_SSE_POLL_MS: "50",
  EVENTS_SSE_MAX_MS: "60000",
  EVENTS_SSE_HEARTBEAT_MS: "60000",
  TRUST_PROXY: "true",
};

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: Record<string, Handler> = {
  "/api/events/stream": streamRoute.GET as Handler,
  "/api/health": healthRoute.GET as Handler,
};

const saved: Record<string, string | undefined> = {};
let dir = "";
let cert = "";
let nginx: ChildProcess | null = null;
let upstream: http.Server | null = null;
const ports = { http: 0, https: 0, upstream: 0 };
/** What the upstream received, in order. */
const seen: { path: string; headers: http.IncomingHttpHeaders }[] = [];
let viewerCookie = "";

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once("error", reject);
    s.listen(0, host, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function hasIpv6Loopback(): Promise<boolean> {
  return freePort("::1").then(
    () => true,
    () => false,
  );
}

/** Replaces one piece of the site file; a piece no longer there fails loudly (the test would test less). */
function substitute(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`deploy/nginx/preroll-tracker.conf no longer contains ${JSON.stringify(from)}`);
  return text.split(from).join(to);
}

/** The app's handlers behind a real socket, as next start would serve them. */
function startUpstream(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
      seen.push({ path: url.pathname, headers: req.headers });
      const handler = ROUTES[url.pathname];
      if (!handler) return void res.writeHead(404).end();
      const controller = new AbortController();
      res.on("close", () => controller.abort());
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      const response = await handler(new NextRequest(url, { method: req.method, headers, signal: controller.signal }), {
        params: Promise.resolve({}),
      });
      const out: Record<string, string> = {};
      // The app also sends X-Accel-Buffering: no; left out so that the site's own settings are what is tested.
      response.headers.forEach((v, k) => {
        if (k !== "x-accel-buffering") out[k] = v;
      });
      res.writeHead(response.status, out);
      if (!response.body) return void res.end();
      const reader = response.body.getReader();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
        if (done) break;
        res.write(value);
      }
      res.end();
    })().catch((err: unknown) => {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });
  return new Promise((resolve) => server.listen(ports.upstream, "127.0.0.1", () => resolve(server)));
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (nginx?.exitCode !== null) return reject(new Error(`nginx exited: ${fs.readFileSync(path.join(dir, "error.log"), "utf8")}`));
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function httpsGet(pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: "127.0.0.1",
        port: ports.https,
        path: pathname,
        ca: cert,
        servername: "localhost",
        headers: { host: "localhost", ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", reject);
  });
}

function httpGet(pathname: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: ports.http, path: pathname, headers: { host: "localhost" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0) }));
    });
    req.on("error", reject);
  });
}

beforeAll(async () => {
  if (!fs.existsSync(NGINX)) throw new Error(`nginx missing: scripts/test.sh installs it (Debian's nginx package, ${NGINX})`);
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  viewerCookie = (await createPrincipals()).headers.viewer.cookie;

  dir = fs.mkdtempSync(path.join(os.tmpdir(), "prt-nginx-"));
  fs.chmodSync(dir, 0o755); // nginx workers (nobody, when the test runs as root) use the temp paths in it
  const openssl = spawnSync("openssl", [
    "req", "-x509", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-days", "2",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
    "-keyout", path.join(dir, "privkey.pem"), "-out", path.join(dir, "fullchain.pem"),
  ], { encoding: "utf8" }); // prettier-ignore
  if (openssl.status !== 0) throw new Error(`openssl failed: ${openssl.stderr}`);
  cert = fs.readFileSync(path.join(dir, "fullchain.pem"), "utf8");

  ports.http = await freePort("127.0.0.1");
  ports.https = await freePort("127.0.0.1");
  ports.upstream = await freePort("127.0.0.1");
  const v6 = await hasIpv6Loopback();
  let site = fs.readFileSync(SITE, "utf8");
  site = substitute(site, "listen 80;", `listen 127.0.0.1:${ports.http};`);
  site = substitute(site, "listen [::]:80;", v6 ? `listen [::1]:${ports.http};` : "");
  site = substitute(site, "listen 443 ssl", `listen 127.0.0.1:${ports.https} ssl`);
  site = substitute(site, "listen [::]:443 ssl", v6 ? `listen [::1]:${ports.https} ssl` : "# (no IPv6 loopback)");
  site = substitute(site, "server 127.0.0.1:3000;", `server 127.0.0.1:${ports.upstream};`);
  site = substitute(site, "/etc/letsencrypt/live/EXAMPLE.COM/fullchain.pem", path.join(dir, "fullchain.pem"));
  site = substitute(site, "/etc/letsencrypt/live/EXAMPLE.COM/privkey.pem", path.join(dir, "privkey.pem"));
  fs.writeFileSync(path.join(dir, "site.conf"), site);
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    [
      "worker_processes 1;",
      `pid ${path.join(dir, "nginx.pid")};`,
      `error_log ${path.join(dir, "error.log")} warn;`,
      "events { worker_connections 64; }",
      "http {",
      "  access_log off;",
      `  ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join(" ")}`,
      // A host that compresses broadly: the SSE location must still answer uncompressed.
      "  gzip on; gzip_proxied any; gzip_min_length 1; gzip_types application/json text/event-stream text/plain;",
      `  include ${path.join(dir, "site.conf")};`,
      "}",
    ].join("\n"),
  );

  const args = ["-p", dir, "-e", path.join(dir, "error.log"), "-c", path.join(dir, "nginx.conf")];
  const check = spawnSync(NGINX, ["-t", ...args], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);
  expect(check.stderr).toContain("test is successful");

  upstream = await startUpstream();
  nginx = spawn(NGINX, [...args, "-g", "daemon off;"], { stdio: "ignore" });
  await waitForPort(ports.https, 5000);
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx!.once("exit", r));
    nginx.kill("SIGTERM");
    await exited;
  }
  if (upstream) {
    upstream.closeAllConnections();
    await new Promise((r) => upstream!.close(r));
  }
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("deploy/nginx/preroll-tracker.conf in front of the app", { timeout: 10_000 }, () => {
  it("passes an SSE event committed via mutate within 1 s, uncompressed, with the client address headers", async () => {
    const blocks: { text: string; at: number }[] = [];
    const opened = new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = https.get(
        {
          host: "127.0.0.1",
          port: ports.https,
          path: "/api/events/stream?type=setting.*",
          ca: cert,
          servername: "localhost",
          headers: {
            host: "localhost",
            cookie: viewerCookie,
            accept: "text/event-stream",
            "accept-encoding": "gzip",
            // Forged by the client: the app must see nginx's view of the address instead.
            "x-real-ip": "203.0.113.9",
            "x-forwarded-for": "203.0.113.9",
          },
        },
        (res) => {
          let buffer = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            buffer += chunk;
            let i: number;
            while ((i = buffer.indexOf("\n\n")) >= 0) {
              blocks.push({ text: buffer.slice(0, i), at: Date.now() });
              buffer = buffer.slice(i + 2);
            }
          });
          resolve(res);
        },
      );
      req.on("error", reject);
    });
    let timer: NodeJS.Timeout | undefined;
    const res = await Promise.race([
      opened,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("no SSE response headers through nginx within 3 s (buffered?)")), 3000);
      }),
    ]).finally(() => clearTimeout(timer));
    try {
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
      expect(res.headers["content-encoding"]).toBeUndefined();
      const until = async (check: () => boolean, what: string) => {
        const deadline = Date.now() + 3000;
        while (!check()) {
          if (Date.now() > deadline) throw new Error(`no ${what} through nginx; got ${JSON.stringify(blocks)}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      await until(() => blocks.some((b) => b.text.startsWith(": connected")), "connected comment");

      await mutate(systemContext("nginx-test"), (m) => m.emit("setting.updated", { key: "nginx_deploy_test" }));
      const committed = Date.now();
      const isOurs = (b: { text: string }) => b.text.includes("event: setting.updated") && b.text.includes("nginx_deploy_test");
      await until(() => blocks.some(isOurs), "setting.updated event");
      expect(blocks.find(isOurs)!.at - committed).toBeLessThan(1000);
    } finally {
      res.destroy();
    }

    const stream = seen.find((s) => s.path === "/api/events/stream")!;
    expect(stream.headers["x-real-ip"]).toBe("127.0.0.1");
    expect(stream.headers["x-forwarded-for"]).toBe("203.0.113.9, 127.0.0.1");
    expect(stream.headers["x-forwarded-proto"]).toBe("https");
    expect(stream.headers.host).toBe("localhost");
    expect(stream.headers["accept-encoding"]).toBeUndefined(); // the upstream is not asked to compress either
    // What the rate limits count (TRUST_PROXY=true): the connection's address, not the forged one.
    expect(clientIp(stream.headers)).toBe("127.0.0.1");
  });

  it("forwards the client address headers on every other path too, and gzips there (so the SSE check means something)", async () => {
    const before = seen.length;
    const res = await httpsGet("/api/health", { "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    const health = seen.slice(before).find((s) => s.path === "/api/health")!;
    expect(health.headers["x-real-ip"]).toBe("127.0.0.1");
    expect(health.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(health.headers["x-forwarded-proto"]).toBe("https");
    expect(health.headers.host).toBe("localhost");
  });

  it("answers plain http with 301 to https, except certbot's challenge path", async () => {
    const res = await httpGet("/batches/7?tab=counts");
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe("https://localhost/batches/7?tab=counts");
    const acme = await httpGet("/.well-known/acme-challenge/no-such-token");
    expect(acme.status).toBe(404);
  });

  it("refuses a body over 16 MB with the app's JSON error shape", async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port: ports.https, ca: cert, servername: "localhost" }, () => {
        socket.write(
          "POST /api/health HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
            `Content-Length: ${16 * 1024 * 1024 + 1}\r\nConnection: close\r\n\r\n`,
        );
      });
      let text = "";
      socket.setEncoding("utf8");
      // Read up to the end of the answer: nginx then keeps the connection open for a while, waiting
      // for the body it refused (lingering close).
      socket.on("data", (c: string) => {
        text += c;
        const end = text.indexOf("\r\n\r\n");
        const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? NaN);
        if (end >= 0 && text.length - end - 4 >= length) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({
      error: "File too large (max 16 MB)",
      code: "payload_too_large",
    });
  });
});
