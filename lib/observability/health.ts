import fs from "node:fs/promises";
import path from "node:path";
import { databaseUrl, db, isPostgresUrl, sqlitePath } from "@/lib/db/client";
import { APP_VERSION } from "@/lib/version";
import { config } from "@/lib/config/env";

/**
 * `GET /api/health` — liveness: this process answers. No I/O, so a load balancer or Playwright
 * can poll it as often as it likes.
 * `GET /api/health?ready=1` — readiness: every check below passes, else 503 with each check's
 * result. Public, so the details are states and numbers, never paths, URLs or error text.
 */

export const WORKER_STALE_SECONDS = 60;

export interface Check {
  ok: boolean;
  [detail: string]: unknown;
}

export interface Readiness {
  status: "ok" | "unavailable";
  version: string;
  checks: { database: Check; migrations: Check; worker: Check; disk: Check };
}

export function liveness() {
  return { status: "ok" as const, version: APP_VERSION, uptime_seconds: Math.round(process.uptime()) };
}

export async function readiness(): Promise<Readiness> {
  const database = await checkDatabase();
  const [migrations, worker, disk] = await Promise.all([
    database.ok ? checkMigrations() : Promise.resolve({ ok: false, detail: "database unavailable" }),
    database.ok ? checkWorker() : Promise.resolve({ ok: false, detail: "database unavailable" }),
    checkDisk(),
  ]);
  const checks = { database, migrations, worker, disk };
  const ok = Object.values(checks).every((c) => c.ok);
  return { status: ok ? "ok" : "unavailable", version: APP_VERSION, checks };
}

async function checkDatabase(): Promise<Check> {
  const started = performance.now();
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return { ok: true, latency_ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch {
    return { ok: false, detail: "database unavailable" };
  }
}

/**
 * Every migration shipped for this engine has been applied (scripts/migrate.mjs runs them at start):
 * prisma/migrations on SQLite, prisma/postgres/migrations on PostgreSQL.
 */
async function checkMigrations(): Promise<Check> {
  let shipped: string[];
  try {
    const folder = isPostgresUrl(databaseUrl()) ? ["prisma", "postgres", "migrations"] : ["prisma", "migrations"];
    const dir = path.join(/* turbopackIgnore: true */ process.cwd(), ...folder);
    const entries = await fs.readdir(dir, { withFileTypes: true });
    shipped = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    // A deployment without the migrations folder cannot tell; the database check still stands.
    return { ok: true, detail: "migrations folder not found; not checked" };
  }
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = shipped.filter((name) => !applied.has(name)).sort();
    return { ok: pending.length === 0, applied: applied.size, pending };
  } catch {
    return { ok: false, detail: "migration table unreadable" };
  }
}

/** A worker wrote its heartbeat (every 10 s) within the last minute. */
async function checkWorker(): Promise<Check> {
  const beat = await db.workerHeartbeat.findFirst({ orderBy: { beat_at: "desc" } }).catch(() => null);
  if (!beat) return { ok: false, age_seconds: null, detail: "no worker heartbeat" };
  const age = Math.max(0, Math.round((Date.now() - beat.beat_at.getTime()) / 1000));
  return { ok: age < WORKER_STALE_SECONDS, age_seconds: age, max_age_seconds: WORKER_STALE_SECONDS };
}

/**
 * Where backups are written — BACKUP_DIR, else `backups` beside the SQLite file (the rule of
 * lib/domain/backups/config.ts) — or `data/backups` in the app folder on PostgreSQL.
 */
function backupDir(): string {
  const configured = config().BACKUP_DIR?.trim();
  if (configured) return path.resolve(/* turbopackIgnore: true */ process.cwd(), configured);
  const url = databaseUrl();
  return url.startsWith("file:")
    ? path.join(path.dirname(sqlitePath(url)), "backups")
    : path.join(/* turbopackIgnore: true */ process.cwd(), "data", "backups");
}

/** Free space where backups go (the nearest existing parent before the first backup). */
async function checkDisk(): Promise<Check> {
  const minFreeMb = config().HEALTH_MIN_FREE_DISK_MB;
  let dir = backupDir();
  for (;;) {
    try {
      const stats = await fs.statfs(dir);
      const freeMb = Math.floor((stats.bavail * stats.bsize) / (1024 * 1024));
      return { ok: freeMb >= minFreeMb, free_mb: freeMb, min_free_mb: minFreeMb };
    } catch (err) {
      const parent = path.dirname(dir);
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || parent === dir) return { ok: false, detail: "backup folder unreadable" };
      dir = parent;
    }
  }
}
