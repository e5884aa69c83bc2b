import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type pg from "pg";
import { databaseInUse, pendingMigrations } from "@/scripts/preflight.mjs";

/**
 * The refusals, each one line: the copy must start from a SQLite file that is fully migrated and
 * that no running app writes to (its later writes would be lost), and must land in a database with
 * no app rows (ids are kept, so rows already there would collide or be mixed with the copy).
 */

export class CopyRefusedError extends Error {}

export async function checkSource(file: string, options: { migrationsDir: string; inUseWaitMs: number }): Promise<void> {
  if (!fs.existsSync(file)) throw new CopyRefusedError(`no SQLite database at ${file}`);
  const pending = pendingMigrations(file, options.migrationsDir);
  if (pending === null) throw new CopyRefusedError(`${file} is not a PreRoll Tracker database (no migration history)`);
  if (pending.length) {
    throw new CopyRefusedError(
      `${file} has ${pending.length} pending migration${pending.length === 1 ? "" : "s"} (${pending.join(", ")}); ` +
        "start the app on it once (or run npm run db:migrate with its DATABASE_URL), stop it, then copy",
    );
  }
  const unknown = appliedUnknownMigrations(file, options.migrationsDir);
  if (unknown.length) {
    throw new CopyRefusedError(`${file} was migrated by a newer version (${unknown.join(", ")}); copy it with that version`);
  }
  if (await databaseInUse(file, { waitMs: options.inUseWaitMs })) {
    throw new CopyRefusedError(`${file} is in use by a running instance; stop it (web and worker) and run again`);
  }
}

// The reverse of "pending": migrations in the file that this checkout does not have.
function appliedUnknownMigrations(file: string, migrationsDir: string): string[] {
  const db = new Database(file, { fileMustExist: true, timeout: 5_000 });
  try {
    const applied = db
      .prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
      .pluck()
      .all() as string[];
    const here = new Set(fs.readdirSync(migrationsDir));
    return applied.filter((name) => !here.has(name) || !fs.statSync(path.join(migrationsDir, name)).isDirectory());
  } finally {
    db.close();
  }
}

/** The app tables of the target that hold rows (tables not created yet count as empty). */
export async function nonEmptyTables(client: pg.Client, tables: string[]): Promise<string[]> {
  const existing = await client.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ANY($1)",
    [tables],
  );
  const names: string[] = [];
  for (const { table_name } of existing.rows) {
    // EXISTS, not count(*): a non-empty target is refused whatever its size.
    const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(table_name)}) AS any`);
    if (rows[0].any) names.push(table_name);
  }
  return names.sort();
}

export function refuseNonEmpty(names: string[], target: string): void {
  if (!names.length) return;
  const more = names.length > 5 ? ` and ${names.length - 5} more tables` : "";
  throw new CopyRefusedError(`${target} already has rows in ${names.slice(0, 5).join(", ")}${more}; the copy needs an empty database`);
}

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
