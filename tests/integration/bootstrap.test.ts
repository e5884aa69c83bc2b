import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

/** scripts/bootstrap.ts as `npm start` runs it: a process against a fresh migrated database. */

const root = path.resolve(__dirname, "../..");
function freshDb(): string {
  const file = process.env.DATABASE_URL!.replace(/^file:/, "").replace(/\.db$/, `-boot-${Math.random().toString(36).slice(2)}.db`);
  fs.copyFileSync(process.env.DATABASE_URL!.replace(/^file:/, ""), file);
  return file;
}
function bootstrap(file: string, env: Record<string, string> = {}) {
  const { ADMIN_PASSWORD: _p, ADMIN_USERNAME: _u, SEED_DEMO: _s, ...inherited } = process.env;
  const out = execFileSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/bootstrap.ts"], {
    cwd: root,
    env: { ...inherited, DATABASE_URL: `file:${file}`, ...env },
  }).toString();
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

describe("first start", () => {
  it("creates the admin from ADMIN_USERNAME/ADMIN_PASSWORD and seeds demo data once", () => {
    const file = freshDb();
    const first = bootstrap(file, { ADMIN_USERNAME: "boss", ADMIN_PASSWORD: "boss-password" });
    expect(first).toMatchObject({ admin_created: true, username: "boss", generated: false, seeded: true });
    expect(first.password).toBeUndefined();
    const sqlite = new Database(file, { readonly: true });
    expect(sqlite.prepare("select username, role from users").all()).toEqual([{ username: "boss", role: "admin" }]);
    const stages = sqlite
      .prepare("select distinct stage from batches order by stage")
      .all()
      .map((r) => (r as { stage: number }).stage);
    expect(stages).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((sqlite.prepare("select count(*) n from count_entries").get() as { n: number }).n).toBeGreaterThan(50);
    // Every batch from "In progress" on has a few working days of counts, so a cached rate and history.
    const unrated = sqlite
      .prepare(
        "select strain from batches where stage >= 2 and (cached_production_rate is null or cached_production_rate <= 0 or rate_history = '[]')",
      )
      .all();
    expect(unrated).toEqual([]);
    const tags = sqlite.prepare("select metrc_number from finished_goods").all() as { metrc_number: string }[];
    expect(tags.length).toBeGreaterThan(0);
    for (const t of tags) expect(t.metrc_number).toMatch(/^1A4[A-Z0-9]{21}$/);
    expect((sqlite.prepare("select count(*) n from finished_goods_history").get() as { n: number }).n).toBeGreaterThan(tags.length);
    expect((sqlite.prepare("select count(*) n from supplies where kind = 'paper'").get() as { n: number }).n).toBe(3);
    const batches = (sqlite.prepare("select count(*) n from batches").get() as { n: number }).n;
    sqlite.close();

    const second = bootstrap(file, { ADMIN_USERNAME: "other", ADMIN_PASSWORD: "other-password" });
    expect(second).toEqual({ admin_created: false });
    const again = new Database(file, { readonly: true });
    expect((again.prepare("select count(*) n from batches").get() as { n: number }).n).toBe(batches);
    expect((again.prepare("select count(*) n from users").get() as { n: number }).n).toBe(1);
    again.close();
  });

  it("generates and reports a password when none is configured; SEED_DEMO=false skips demo data", () => {
    const file = freshDb();
    const result = bootstrap(file, { SEED_DEMO: "false", ADMIN_USERNAME: "admin" });
    expect(result.admin_created).toBe(true);
    expect(result.generated).toBe(true);
    expect(result.password).toMatch(/^[\w-]{16,}$/);
    const sqlite = new Database(file, { readonly: true });
    expect((sqlite.prepare("select count(*) n from batches").get() as { n: number }).n).toBe(0);
    sqlite.close();
  });
});
