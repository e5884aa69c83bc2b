import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Domain code returns data and throws errors; HTTP (requests, responses, Next's server module)
 * stays in app/api and lib/http. This walks lib/domain/** and fails on any file that imports
 * next/server or next/headers, or names the Request/Response types in code (comments aside).
 */

const DOMAIN = path.resolve(__dirname, "../../lib/domain");

/** Outbound HTTP clients: their `Response` is what a fetch to another service answered, not ours. */
const OUTBOUND_FETCH = new Set(["alerts/pushover.ts"]);

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return files(full);
    return /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

describe("domain code knows no HTTP", () => {
  const all = files(DOMAIN);

  it("finds the domain files", () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it("no domain file imports next/server or next/headers", () => {
    const offenders = all.filter((f) =>
      /from\s+["']next\/(server|headers)["']|import\(\s*["']next\/(server|headers)["']/.test(fs.readFileSync(f, "utf8")),
    );
    expect(offenders.map((f) => path.relative(DOMAIN, f))).toEqual([]);
  });

  it("no domain file takes a Request or builds a Response", () => {
    const offenders = all.filter((f) => {
      const code = stripComments(fs.readFileSync(f, "utf8"));
      const rel = path.relative(DOMAIN, f).split(path.sep).join("/");
      if (/\b(NextRequest|NextResponse|Request)\b/.test(code)) return true;
      return !OUTBOUND_FETCH.has(rel) && /\bResponse\b/.test(code);
    });
    expect(offenders.map((f) => path.relative(DOMAIN, f))).toEqual([]);
  });
});
