import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Production code (what `npm start` runs or bundles) never imports from tests/: the demo seed's
 * factories live in prisma/seed/ for that reason. A test helper pulled into the app would ship
 * test code and make the seed depend on the test tree.
 */

const ROOT = path.resolve(__dirname, "../..");
const PRODUCTION_DIRS = ["app", "components", "lib", "worker", "scripts", "prisma", "instrumentation.ts", "next.config.ts"];
const IMPORT_OF_TESTS = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["'](?:@\/tests\/|(?:\.\.\/)+tests\/)/;

function sourceFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [full];
  const out: string[] = [];
  for (const item of fs.readdirSync(full, { withFileTypes: true })) {
    if (item.name === "generated" || item.name === "node_modules") continue;
    const child = path.join(entry, item.name);
    if (item.isDirectory()) out.push(...sourceFiles(child));
    else if (/\.(ts|tsx|mjs|js)$/.test(item.name)) out.push(path.join(ROOT, child));
  }
  return out;
}

describe("production code does not import test code", () => {
  it("no file under app/, components/, lib/, worker/, scripts/ or prisma/ imports from tests/", () => {
    const files = PRODUCTION_DIRS.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((file) => IMPORT_OF_TESTS.test(fs.readFileSync(file, "utf8"))).map((file) => path.relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
