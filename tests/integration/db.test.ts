import { execFileSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { lastAuditUpdate } from "@/lib/domain/audit/last-updated";

describe("database connection", () => {
  it("runs with WAL, foreign keys on and a 30 s busy timeout", async () => {
    const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    const [fk] = await db.$queryRawUnsafe<{ foreign_keys: bigint | number }[]>("PRAGMA foreign_keys");
    const [busy] = await db.$queryRawUnsafe<{ timeout: bigint | number }[]>("PRAGMA busy_timeout");
    expect(mode.journal_mode).toBe("wal");
    expect(Number(fk.foreign_keys)).toBe(1);
    expect(Number(busy.timeout)).toBe(30000);
  });

  it("a read outside a transaction never sees another request's uncommitted rows", async () => {
    const { mutate } = await import("@/lib/db/mutate");
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    const before = await db.batch.count();
    const failing = mutate({ actor: "t", traceId: "trace-isolation", source: "test" }, async (m) => {
      await m.tx.batch.create({ data: { strain: "Uncommitted", input_grams: 1 } });
      written();
      await hold;
      throw new Error("roll back");
    });
    await wrote;
    // Prisma queries are lazy: .then() sends it now, while the transaction holds an uncommitted row.
    const read = db.batch.count().then((n) => n);
    await new Promise((r) => setTimeout(r, 100));
    release();
    await expect(failing).rejects.toThrow("roll back");
    expect(await read).toBe(before);
  });

  it("enforces foreign keys", async () => {
    await expect(
      db.countEntry.create({ data: { batch_id: "missing", size: "0_5", delta: 1, total_after: 1, actor: "t" } }),
    ).rejects.toThrow();
  });

  it("last-updated sees a commit made by another process (the worker) without a restart", async () => {
    const before = await lastAuditUpdate("batch");
    const file = process.env.DATABASE_URL!.replace(/^file:/, "");
    const other = new Database(file);
    other
      .prepare("INSERT INTO audit_log (entity, entity_id, field, actor, at) VALUES ('batch', 'x', 'stage', 'worker', ?)")
      .run(new Date().toISOString());
    other.close();
    const after = await lastAuditUpdate("batch");
    expect(after.etag).not.toBe(before.etag);
  });
});

describe("npm run setup", () => {
  it("creates an admin from answers on stdin, and resets the password when asked", () => {
    const root = path.resolve(__dirname, "../..");
    const file = process.env.DATABASE_URL!.replace(/\.db$/, "-setup.db");
    const run = (input: string) =>
      execFileSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/setup.ts"], {
        cwd: root,
        input,
        env: { ...process.env, DATABASE_URL: file },
      }).toString();
    expect(run("boss\nsecret123\nsecret123\n")).toContain("Admin boss created.");
    const reset = run("boss\n\ny\n");
    expect(reset).toMatch(/Generated password \(shown once\): [\w-]{16,}/);
    const sqlite = new Database(file.replace(/^file:/, ""), { readonly: true });
    expect(sqlite.prepare("select username, role, session_version from users").all()).toEqual([
      { username: "boss", role: "admin", session_version: 2 },
    ]);
    sqlite.close();
  });
});
