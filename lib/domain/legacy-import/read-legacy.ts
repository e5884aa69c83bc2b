import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import Database from "better-sqlite3";
import type { LegacyRow } from "@/lib/domain/legacy-import/legacy-values";

/**
 * Reads a PreRollTracker 2.0.0 deployment: its SQLite database (every table, in one read
 * transaction while holding the write lock, so nothing changes underneath and a running old
 * service is noticed), the legacy JSON files kept beside it, and the admin password hash from its
 * `.env`. Nothing is ever written to the legacy files. Every refusal is one `LegacyReadError`
 * line naming the file and what to do.
 */

export class LegacyReadError extends Error {}

/** The schema versions this importer knows (migrations 001_baseline … 003_add_plan_use_grams). */
export const KNOWN_SCHEMA_VERSIONS = [1, 2, 3] as const;

export const LEGACY_TABLES = [
  "batches",
  "audit_log",
  "finished_goods",
  "finished_goods_history",
  "inventory",
  "inventory_usage",
  "settings",
  "wholesale_holds",
] as const;
export type LegacyTable = (typeof LEGACY_TABLES)[number];

/** Tables and columns without which a file is not PreRollTracker's. */
const REQUIRED: Partial<Record<LegacyTable, string[]>> = {
  batches: ["id", "strain", "input_grams", "stage"],
  finished_goods: ["metrc_number", "strain", "initial_grams", "current_grams"],
  settings: ["key", "value"],
};

/** Row order: the order the legacy app wrote them (ids where there are ids). */
const ORDER: Record<LegacyTable, string> = {
  batches: "rowid",
  audit_log: "id",
  finished_goods: "rowid",
  finished_goods_history: "id",
  inventory: "rowid",
  inventory_usage: "id",
  settings: "rowid",
  wholesale_holds: "rowid",
};

export interface LegacyFiles {
  settings: { path: string; value: unknown } | null;
  audit: { path: string; value: unknown } | null;
  inventory: { path: string; value: unknown } | null;
  dismissed: { path: string; value: unknown } | null;
  /** A file that exists but is not JSON. */
  unreadable: { path: string; detail: string }[];
}

export interface LegacySource {
  path: string;
  schemaVersion: number;
  /** Rows per table; a table an older schema lacks is empty and listed in `missingTables`. */
  tables: Record<LegacyTable, LegacyRow[]>;
  columns: Record<LegacyTable, string[]>;
  missingTables: LegacyTable[];
  files: LegacyFiles;
  env: { path: string | null; adminPasswordHash: string | null };
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

function sqliteCode(err: unknown): string {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : "";
}

function fail(file: string, what: string): never {
  throw new LegacyReadError(`${file}: ${what}`);
}

function checkHeader(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    const code = sqliteCode(err);
    if (code === "ENOENT") fail(file, "no such file");
    if (code === "EISDIR") fail(file, "is a directory, not a database file");
    if (code === "EACCES") fail(file, "permission denied (run as a user who can read it)");
    throw err;
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (n < head.length || !head.equals(SQLITE_HEADER)) fail(file, "not a SQLite database");
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens, checks and reads the legacy database. */
export function readLegacyDatabase(file: string, options: { busyTimeoutMs?: number } = {}): Omit<LegacySource, "files" | "env"> {
  const abs = path.resolve(file);
  checkHeader(abs);
  let conn: Database.Database;
  try {
    conn = new Database(abs, { fileMustExist: true });
  } catch (err) {
    fail(abs, `cannot be opened (${(err as Error).message})`);
  }
  try {
    conn.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 2000}`);
    try {
      // The write lock: refused while the old service is writing; held while we read, so the
      // rows form one consistent snapshot. Rolled back at the end — nothing is written.
      conn.exec("BEGIN IMMEDIATE");
    } catch (err) {
      const code = sqliteCode(err);
      if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
        fail(abs, "is locked by another process — stop the old PreRollTracker service first (sudo systemctl stop preroll-tracker)");
      }
      if (code.startsWith("SQLITE_READONLY")) {
        fail(abs, "is read-only for this user — the import needs to lock it (it writes nothing); run as the file's owner");
      }
      throw err;
    }
    try {
      const check = conn.pragma("quick_check", { simple: true });
      if (check !== "ok") fail(abs, `is damaged or half-written (integrity check: ${String(check).split("\n")[0]})`);
      return readTables(conn, abs);
    } finally {
      if (conn.inTransaction) conn.exec("ROLLBACK");
    }
  } catch (err) {
    if (err instanceof LegacyReadError) throw err;
    const code = sqliteCode(err);
    if (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB")) {
      fail(abs, "is damaged or half-written (not a complete SQLite database) — restore it from a backup");
    }
    throw err;
  } finally {
    conn.close();
  }
}

function readTables(conn: Database.Database, file: string): Omit<LegacySource, "files" | "env"> {
  const present = new Set(
    (conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
  );
  const columns = {} as Record<LegacyTable, string[]>;
  for (const table of LEGACY_TABLES) {
    columns[table] = present.has(table)
      ? (conn.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name)
      : [];
  }
  for (const [table, required] of Object.entries(REQUIRED) as [LegacyTable, string[]][]) {
    const missing = required.filter((c) => !columns[table].includes(c));
    if (missing.length > 0) {
      fail(
        file,
        columns[table].length === 0
          ? `not a PreRollTracker database (it has no "${table}" table)`
          : `not a PreRollTracker database ("${table}" lacks ${missing.join(", ")})`,
      );
    }
  }

  let schemaVersion = 1; // 001_baseline: databases from before schema_version existed
  if (present.has("schema_version")) {
    const row = conn.prepare("SELECT MAX(version) AS v FROM schema_version").get() as { v: number | null };
    if (row.v !== null) schemaVersion = Number(row.v);
  }
  if (!Number.isInteger(schemaVersion) || schemaVersion > KNOWN_SCHEMA_VERSIONS.at(-1)!) {
    fail(
      file,
      `schema version ${schemaVersion} is newer than this importer knows (${KNOWN_SCHEMA_VERSIONS[0]}–${KNOWN_SCHEMA_VERSIONS.at(-1)}); update PreRoll Tracker and try again`,
    );
  }

  const tables = {} as Record<LegacyTable, LegacyRow[]>;
  const missingTables: LegacyTable[] = [];
  for (const table of LEGACY_TABLES) {
    if (!present.has(table)) {
      missingTables.push(table);
      tables[table] = [];
      continue;
    }
    tables[table] = conn.prepare(`SELECT * FROM "${table}" ORDER BY ${ORDER[table]}`).all() as LegacyRow[];
  }
  return { path: file, schemaVersion, tables, columns, missingTables };
}

/**
 * The legacy JSON files, looked for where the old app kept them relative to its database
 * (`preroll_tracker.db` in the app root with `data/` beside it, or `data/preroll.db`).
 */
export function readLegacyFiles(dbFile: string): LegacyFiles {
  const dir = path.dirname(path.resolve(dbFile));
  const roots = [dir, path.join(dir, "data"), path.dirname(dir), path.join(path.dirname(dir), "data")];
  const files: LegacyFiles = { settings: null, audit: null, inventory: null, dismissed: null, unreadable: [] };
  const find = (name: string): { path: string; value: unknown } | null => {
    for (const root of roots) {
      const p = path.join(root, name);
      if (!fs.existsSync(p) || !fs.statSync(p).isFile()) continue;
      try {
        return { path: p, value: JSON.parse(fs.readFileSync(p, "utf8")) as unknown };
      } catch (err) {
        files.unreadable.push({ path: p, detail: (err as Error).message });
        return null;
      }
    }
    return null;
  };
  files.settings = find("settings.json");
  files.audit = find("audit.json");
  files.inventory = find("inventory.json");
  files.dismissed = find("dismissed_alerts.json");
  return files;
}

/**
 * `ADMIN_PASSWORD_HASH` from the old deployment's `.env` (given, or beside the database / its
 * parent). Parsed as dotenv does, without variable expansion: a bcrypt hash is full of `$`.
 */
export function readLegacyEnv(dbFile: string, envFile?: string): { path: string | null; adminPasswordHash: string | null } {
  const dir = path.dirname(path.resolve(dbFile));
  const candidates = envFile ? [path.resolve(envFile)] : [path.join(dir, ".env"), path.join(path.dirname(dir), ".env")];
  for (const p of candidates) {
    if (!fs.existsSync(p)) {
      if (envFile) throw new LegacyReadError(`${p}: no such file (the old deployment's .env, given with --env)`);
      continue;
    }
    const values = parseEnv(fs.readFileSync(p, "utf8"));
    const hash = values.ADMIN_PASSWORD_HASH?.trim() || null;
    return { path: p, adminPasswordHash: hash };
  }
  return { path: null, adminPasswordHash: null };
}

export function readLegacySource(dbFile: string, options: { envFile?: string; busyTimeoutMs?: number } = {}): LegacySource {
  const db = readLegacyDatabase(dbFile, options);
  return { ...db, files: readLegacyFiles(dbFile), env: readLegacyEnv(dbFile, options.envFile) };
}
