/**
 * Checks `npm start` (scripts/start.mjs) makes before it migrates and serves, so that starting a
 * second time prints one line instead of dying in the schema engine with a WebAssembly stack
 * ("unknown variant `SocketTimeout`"):
 *
 * - the web port must be free (`port 3000 is already in use`);
 * - migrations are applied only when some are pending, and only when no other process has the
 *   SQLite database open: the schema engine switches SQLite to `locking_mode=EXCLUSIVE`, which
 *   fails while any other connection (a running web server or worker) is open. With every
 *   migration applied the engine is not started at all, so a second process on the same database
 *   (`npm run worker` beside `npm run web`, several workers, a second instance behind Redis) starts.
 *
 * "In use" is asked of SQLite itself (the same exclusive lock the engine takes, with a bounded
 * wait), not of a pid file: locks die with their process, so a crashed instance's leftovers
 * (`-wal`/`-shm` files) never block a restart.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";

/** One line describing why the web server could not listen on `port`, or null when it can. */
export function portProblem(port, host = "0.0.0.0") {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (err) => {
      if (err.code === "EADDRINUSE")
        resolve(`port ${port} is already in use (another instance or program listens on it); stop it or set PORT`);
      else if (err.code === "EACCES") resolve(`port ${port} cannot be used: permission denied; choose a PORT above 1023`);
      else if (err.code === "EADDRNOTAVAIL") resolve(`HOSTNAME ${host} is not an address of this machine`);
      else resolve(`cannot listen on ${host}:${port}: ${err.message}`);
    });
    server.listen({ port: Number(port), host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/**
 * Names of the migrations in `migrationsDir` not yet applied (or changed since) in the SQLite
 * database `file`, read without a write lock. `null` when that cannot be told (no database yet,
 * no migrations table): the schema engine then decides.
 */
export function pendingMigrations(file, migrationsDir) {
  if (!fs.existsSync(file)) return null;
  let applied;
  let db;
  try {
    // Read-write handle, read only: a read-only one cannot open a WAL database whose -shm is gone.
    db = new Database(file, { fileMustExist: true, timeout: 5_000 });
    applied = db
      .prepare("SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
      .all();
  } catch {
    return null;
  } finally {
    db?.close();
  }
  const done = new Map(applied.map((row) => [row.migration_name, row.checksum]));
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .filter((name) => {
      const sql = fs.readFileSync(path.join(migrationsDir, name, "migration.sql"));
      return done.get(name) !== createHash("sha256").update(sql).digest("hex");
    });
}

/**
 * True when another process has the SQLite database `file` open, after waiting up to `waitMs`
 * for it to let go (an old instance still shutting down during an upgrade).
 */
export async function databaseInUse(file, { waitMs = 5_000 } = {}) {
  if (!fs.existsSync(file)) return false;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const db = new Database(file, { fileMustExist: true, timeout: 0 });
    try {
      db.pragma("locking_mode = EXCLUSIVE");
      db.exec("BEGIN EXCLUSIVE");
      db.exec("COMMIT");
      return false;
    } catch (err) {
      if (err.code !== "SQLITE_BUSY" && err.code !== "SQLITE_LOCKED") throw err;
      if (Date.now() >= deadline) return true;
    } finally {
      db.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The schema engine's way of saying "database is locked" (a SocketTimeout it cannot even name). */
export function isLockedError(err) {
  const message = String(err?.message ?? err);
  return /SocketTimeout|SQLITE_BUSY|database is locked/i.test(message);
}

export function inUseMessage(file, pending) {
  const what = pending?.length ? `${pending.length} pending migration${pending.length === 1 ? "" : "s"}` : "migrations";
  return `the database ${file} is in use by a running instance; stop it (web and worker) to apply ${what}, then start again`;
}
