import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * One parsed configuration (lib/config/env.ts `config()`): code under lib/, worker/, app/ and
 * components/ reads no `process.env` of its own — a second default is how values drifted (the
 * delivery lease was 30 s in one file and 60 s in another). The exceptions are listed, with why,
 * in lib/config/env.ts; a new read anywhere else fails here.
 */

const ROOT = path.resolve(__dirname, "../..");
const DIRS = ["lib", "worker", "app", "components"];

/** Inlined by Next at build time (browser bundles) or Next's own runtime flags: allowed anywhere. */
const ALWAYS_ALLOWED = /^process\.env\.(NEXT_PUBLIC_[A-Z0-9_]+|NEXT_RUNTIME|NEXT_PHASE)\b/;

/** file → the reads it may keep (see lib/config/env.ts). */
const ALLOWED: Record<string, RegExp> = {
  // Browser code and code shared with it (this module's node:fs cannot be bundled there): NODE_ENV is inlined.
  "lib/client/pwa/register-service-worker.ts": /^process\.env\.NODE_ENV\b/,
  "lib/observability/sentry-options.ts": /^process\.env\.NODE_ENV\b/,
  // Called by next.config.ts and scripts/start.mjs, before the app, with the raw environment.
  "lib/observability/release.ts": /^process\.env,/,
};

function sourceFiles(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return rel === path.join("lib", "generated") || rel === path.join("lib", "config") ? [] : sourceFiles(rel);
    return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) ? [rel] : [];
  });
}

function reads(file: string): { line: number; text: string }[] {
  return fs
    .readFileSync(path.join(ROOT, file), "utf8")
    .split("\n")
    .flatMap((text, i) => {
      if (/^\s*(\*|\/\/)/.test(text)) return []; // comments
      return [...text.matchAll(/process\.env\b.*/g)].map((m) => ({ line: i + 1, text: m[0] }));
    });
}

describe("configuration is read through config() only", () => {
  it("no process.env outside lib/config/ and the listed exceptions", () => {
    const files = DIRS.flatMap(sourceFiles).map((f) => f.split(path.sep).join("/"));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((file) =>
      reads(file)
        .filter(({ text }) => !ALWAYS_ALLOWED.test(text) && !(ALLOWED[file]?.test(text) ?? false))
        .map(({ line, text }) => `${file}:${line}: ${text.slice(0, 80)}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the allow-list has no stale entries", () => {
    for (const file of Object.keys(ALLOWED)) expect(reads(file).length, file).toBeGreaterThan(0);
  });
});
