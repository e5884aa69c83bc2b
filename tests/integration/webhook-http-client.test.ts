import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_SOCKETS_PER_ORIGIN, postBody, PostTimeoutError } from "@/lib/events/delivery/http-client";

/**
 * The webhook client (undici underneath) against real local servers: what the delivery loop
 * relies on — no redirect followed, only the start of a body kept, the per-request timeout, one
 * retry on a keep-alive connection the server dropped as we sent, TLS, the connection cap.
 */

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
let handle: Handler = (_req, res) => res.end("ok");
const hits: { path: string; socket: Socket; headers: http.IncomingHttpHeaders; body: string }[] = [];
const sockets = new Set<Socket>();
let maxOpen = 0;

function listener(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    hits.push({ path: req.url ?? "", socket: req.socket, headers: req.headers, body });
    handle(req, res, body);
  });
}
function track(server: http.Server) {
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    socket.on("close", () => sockets.delete(socket));
  });
}

// A server (so an origin, so a connection pool) per test: no idle connection carries over.
let server: http.Server;
let base: string;
beforeEach(async () => {
  handle = (_req, res) => res.end("ok");
  hits.length = 0;
  maxOpen = 0;
  server = http.createServer(listener);
  track(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("postBody", () => {
  it("POSTs the body with the headers once each (names case-insensitive, the later wins) and returns status, headers and text", async () => {
    handle = (_req, res) => {
      res.setHeader("retry-after", "7");
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.writeHead(201).end("créé");
    };
    const res = await postBody(
      `${base}/hook?x=1`,
      { "User-Agent": "configured", "X-Extra": "1", "Content-Length": "1", "user-agent": "PreRoll", "content-type": "application/json" },
      '{"é":1}',
      5000,
    );
    expect(res).toMatchObject({ status: 201, text: "créé" });
    expect(res.headers["retry-after"]).toBe("7");
    expect(res.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ path: "/hook?x=1", body: '{"é":1}' });
    expect(hits[0]!.headers).toMatchObject({
      "user-agent": "PreRoll",
      "x-extra": "1",
      "content-length": "8",
      "content-type": "application/json",
    });
    // One user-agent header, not two: rawHeaders lists each header line.
    const raw = (await rawHeaderNames(`${base}/raw`)).filter((n) => n === "user-agent");
    expect(raw).toEqual(["user-agent"]);
  });

  it("does not follow a redirect (SPEC §8): the 30x is the answer", async () => {
    handle = (req, res) => {
      if (req.url === "/moved") res.writeHead(302, { location: `${base}/target` }).end("see /target");
      else res.end("followed");
    };
    const res = await postBody(`${base}/moved`, {}, "{}", 5000);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${base}/target`);
    expect(hits.map((h) => h.path)).toEqual(["/moved"]);
  });

  it("keeps only the first ~1 KB of a 10 MB body, and the connection stays usable", async () => {
    const mb = Buffer.alloc(1024 * 1024, "a");
    handle = (req, res) => {
      if (req.url !== "/big") return res.end("small");
      res.writeHead(200, { "content-length": String(10 * mb.length) });
      res.write("START");
      let sent = 0;
      const more = () => {
        while (sent < 10) {
          const chunk = sent === 0 ? mb.subarray(5) : mb;
          sent++;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    };
    const res = await postBody(`${base}/big`, {}, "{}", 10_000);
    expect(res.status).toBe(200);
    expect(res.text.startsWith("STARTaaa")).toBe(true);
    expect(Buffer.byteLength(res.text)).toBe(1024 + 4);
    await idleTick();
    const after = await postBody(`${base}/next`, {}, "{}", 5000);
    expect(after.text).toBe("small");
    expect(hits[1]!.socket).toBe(hits[0]!.socket);
  });

  it("times out with a TimeoutError after the per-request timeout", async () => {
    handle = (_req, res) => setTimeout(() => res.end("late"), 1500);
    const started = Date.now();
    const err = await postBody(`${base}/slow`, {}, "{}", 200).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostTimeoutError);
    expect((err as Error).name).toBe("TimeoutError");
    expect((err as Error).message).toBe("Timed out after 200 ms");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("times out when the body stalls after the status line", async () => {
    handle = (_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
    };
    const err = await postBody(`${base}/stall`, {}, "{}", 200).catch((e: unknown) => e);
    expect((err as Error).name).toBe("TimeoutError");
    expect(hits).toHaveLength(1);
  });

  it("does not resend when a reused connection drops after the answer started", async () => {
    let n = 0;
    handle = (req, res) => {
      if (++n === 1) return void res.end("ok");
      res.writeHead(200, { "content-length": "100" });
      res.write("partial", () => setTimeout(() => req.socket.destroy(), 20));
    };
    await postBody(`${base}/a`, {}, "1", 5000);
    await idleTick();
    await expect(postBody(`${base}/b`, {}, "2", 5000)).rejects.toThrow();
    expect(hits.map((h) => h.body)).toEqual(["1", "2"]);
    expect(hits[1]!.socket).toBe(hits[0]!.socket);
  });

  it("refuses a header value with a line break, without sending anything", async () => {
    await expect(postBody(`${base}/bad`, { "x-bad": "a\r\nx-injected: 1" }, "{}", 5000)).rejects.toThrow();
    expect(hits).toHaveLength(0);
  });

  it("sends once more on a fresh connection when the server drops a reused keep-alive connection as we send", async () => {
    const served = new WeakMap<Socket, number>();
    let dropped = 0;
    handle = (req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      // The second request on a connection finds it closed: no answer, connection reset.
      if (n === 2 && dropped++ === 0) return void req.socket.destroy();
      res.end(`ok ${n}`);
    };
    expect((await postBody(`${base}/a`, {}, "1", 5000)).text).toBe("ok 1");
    await idleTick();
    const res = await postBody(`${base}/b`, {}, "2", 5000);
    expect(res).toMatchObject({ status: 200, text: "ok 1" });
    expect(hits.map((h) => h.body)).toEqual(["1", "2", "2"]);
    expect(hits[1]!.socket).toBe(hits[0]!.socket);
    expect(hits[2]!.socket).not.toBe(hits[1]!.socket);
  });

  it("does not resend when a fresh connection is dropped", async () => {
    handle = (req) => void req.socket.destroy();
    await expect(postBody(`${base}/drop`, {}, "{}", 5000)).rejects.toThrow();
    expect(hits).toHaveLength(1);
  });

  it("delivers once when the server closed an idle keep-alive connection between two requests", async () => {
    handle = (req, res) => {
      res.end("ok");
      // The receiver's idle timeout, shorter than the client's: it closes the connection first.
      if (req.url === "/first") setTimeout(() => req.socket.end(), 100);
    };
    await postBody(`${base}/first`, {}, "1", 5000);
    await new Promise((r) => setTimeout(r, 400));
    expect((await postBody(`${base}/second`, {}, "2", 5000)).status).toBe(200);
    expect(hits.map((h) => h.body)).toEqual(["1", "2"]);
    expect(hits[1]!.socket).not.toBe(hits[0]!.socket);
  });

  it(`opens at most ${MAX_SOCKETS_PER_ORIGIN} connections to one origin`, async () => {
    const held: http.ServerResponse[] = [];
    handle = (_req, res) => {
      held.push(res);
      if (held.length === MAX_SOCKETS_PER_ORIGIN) setTimeout(() => held.forEach((r) => r.end("ok")), 200);
      else if (held.length > MAX_SOCKETS_PER_ORIGIN) res.end("ok");
    };
    const all = await Promise.all(
      Array.from({ length: MAX_SOCKETS_PER_ORIGIN + 40 }, (_, i) => postBody(`${base}/cap`, {}, String(i), 10_000)),
    );
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(maxOpen).toBeLessThanOrEqual(MAX_SOCKETS_PER_ORIGIN);
    expect(new Set(hits.map((h) => h.socket)).size).toBe(MAX_SOCKETS_PER_ORIGIN);
  });

  it("works over https, and checks the certificate", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prt-tls-"));
    // prettier-ignore
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    const tls = https.createServer(
      { key: fs.readFileSync(path.join(dir, "key.pem")), cert: fs.readFileSync(path.join(dir, "cert.pem")) },
      listener,
    );
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/tls`;
    try {
      await expect(postBody(url, {}, "{}", 5000)).rejects.toThrow(/self-signed/);
      expect(hits).toHaveLength(0);
      // A receiver with a private CA is the operator's choice (NODE_TLS_REJECT_UNAUTHORIZED / NODE_EXTRA_CA_CERTS).
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
      const res = await postBody(url, { "x-tls": "1" }, '{"tls":true}', 5000);
      expect(res).toMatchObject({ status: 200, text: "ok" });
      expect(hits[0]).toMatchObject({ path: "/tls", body: '{"tls":true}' });
    } finally {
      delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** undici checks an idle connection for a close on the next turn before reusing it; until then it opens another. */
const idleTick = () => new Promise((resolve) => setTimeout(resolve, 20));

async function rawHeaderNames(url: string): Promise<string[]> {
  let names: string[] = [];
  handle = (req, res) => {
    names = req.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    res.end("ok");
  };
  await postBody(url, { "User-Agent": "configured", "user-agent": "PreRoll" }, "{}", 5000);
  return names;
}
