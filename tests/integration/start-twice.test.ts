import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { databaseInUse, pendingMigrations } from "@/scripts/preflight.mjs";

/**
 * `npm start` while another instance runs (an upgrade with the old service still up, a second
 * terminal): one line saying what is wrong and exit 1 — not the schema engine's WebAssembly stack
 * ("unknown variant `SocketTimeout`"). scripts/start.mjs runs as `npm start` does, with --no-build
 * (it never gets as far as building or serving here).
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const MIGRATIONS = path.join(ROOT, "prisma", "migrations");
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** A copy of the migrated test database; `pending` leaves the newest migration unapplied (the old version's database). */
function database(options: { pending?: boolean } = {}): string {
  const source = process.env.DATABASE_URL!.replace(/^file:/, "");
  const file = source.replace(/\.db$/, `-twice-${Math.random().toString(36).slice(2)}.db`);
  const sqlite = new Database(source);
  sqlite.exec(`VACUUM INTO '${file}'`);
  sqlite.close();
  if (options.pending) {
    const copy = new Database(file);
    const newest = copy.prepare("SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1").get() as {
      migration_name: string;
    };
    copy.prepare("DELETE FROM _prisma_migrations WHERE migration_name = ?").run(newest.migration_name);
    copy.close();
  }
  return file;
}

/** The running instance: a process with the database open the way the app opens it (WAL, an idle connection). */
async function runningInstance(file: string): Promise<ChildProcess> {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(${JSON.stringify(file)});
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 30000");
    db.prepare("SELECT count(*) FROM users").get();
    console.log("ready");
    setInterval(() => db.prepare("SELECT 1").get(), 1000);`;
  const child = spawn(process.execPath, ["-e", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once("line", () => resolve());
    child.once("exit", (code) => reject(new Error(`holder exited ${code}`)));
  });
  return child;
}

function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["scripts/start.mjs", "--no-build"], {
    cwd: ROOT,
    env: { ...process.env, HOSTNAME: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

function expectOneLine(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(pattern)]);
  const all = result.stdout + result.stderr;
  expect(all).not.toMatch(/^\s+at /m); // no stack trace
  expect(all).not.toMatch(/wasm|SocketTimeout/i);
}

describe("starting a second time", () => {
  it("says the database is in use by a running instance (old version still up, migrations pending) and exits 1", async () => {
    const file = database({ pending: true });
    await runningInstance(file);
    const result = await start({ DATABASE_URL: `file:${file}`, PORT: "3305" });
    expectOneLine(result, /^preroll-tracker: the database .*-twice-.*\.db is in use by a running instance; stop it .* 1 pending migration/);
  }, 60_000);

  it("says the port is already in use and exits 1, before touching the database", async () => {
    const listener = net.createServer();
    await new Promise<void>((resolve) => listener.listen(3307, "127.0.0.1", resolve));
    try {
      const file = database({ pending: true });
      const result = await start({ DATABASE_URL: `file:${file}`, PORT: "3307" });
      expectOneLine(result, /^preroll-tracker: port 3307 is already in use/);
      expect(pendingMigrations(file, MIGRATIONS)).toHaveLength(1); // not migrated
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  }, 60_000);
});

describe("npm run db:migrate while an instance runs", () => {
  it("says so in one line and exits 1", async () => {
    const file = database({ pending: true });
    await runningInstance(file);
    const child = spawn(process.execPath, ["scripts/migrate.mjs"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${file}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expectOneLine({ code, stdout, stderr }, /^migrate: the database is in use by a running instance/);
  }, 60_000);
});

describe("the checks behind it", () => {
  it("do not refuse a second process when nothing needs migrating (npm run worker beside npm run web)", async () => {
    const file = database();
    await runningInstance(file);
    expect(pendingMigrations(file, MIGRATIONS)).toEqual([]); // start.mjs then skips the schema engine
    expect(await databaseInUse(file, { waitMs: 0 })).toBe(true);
  });

  it("are not fooled by a crashed instance's leftovers (-wal/-shm files)", async () => {
    const file = database({ pending: true });
    const holder = await runningInstance(file);
    expect(await databaseInUse(file, { waitMs: 0 })).toBe(true);
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(fs.existsSync(`${file}-shm`)).toBe(true);
    expect(await databaseInUse(file, { waitMs: 0 })).toBe(false);
  });

  it("wait (bounded) for an instance that is shutting down", async () => {
    const file = database({ pending: true });
    const holder = await runningInstance(file);
    setTimeout(() => holder.kill("SIGTERM"), 500);
    const started = Date.now();
    expect(await databaseInUse(file, { waitMs: 5_000 })).toBe(false);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
