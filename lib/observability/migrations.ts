import fs from "node:fs/promises";
import path from "node:path";

/**
 * Which shipped migrations a database has not applied: the readiness check (health.ts) and
 * `npm start -- --no-migrate` (scripts/start.mjs, which refuses to start an instance on a database
 * a release step has not migrated) ask the same question the same way. Each provider has its own
 * folder: prisma/migrations for SQLite, prisma/postgres/migrations for PostgreSQL.
 * No `@/` imports: scripts/start.mjs loads this file through tsx's `tsImport`.
 */

/** Applied (finished, not rolled back) migrations, in Prisma's own table; same SQL on both databases. */
export const APPLIED_MIGRATIONS_SQL =
  "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL";

export function migrationsDirFor(databaseUrl: string, root: string = process.cwd()): string {
  return /^postgres(ql)?:\/\//i.test(databaseUrl)
    ? path.join(/* turbopackIgnore: true */ root, "prisma", "postgres", "migrations")
    : path.join(/* turbopackIgnore: true */ root, "prisma", "migrations");
}

/** Migration directory names shipped in `dir`, sorted; null when the folder is missing (cannot tell). */
export async function shippedMigrations(dir: string): Promise<string[] | null> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return null;
  }
}

export function pendingOf(shipped: readonly string[], applied: Iterable<string>): string[] {
  const done = new Set(applied);
  return shipped.filter((name) => !done.has(name));
}

/** One line for a refused start; `pending` null means the migrations table is missing (a fresh database). */
export function notMigratedMessage(pending: readonly string[] | null): string {
  const what =
    pending === null
      ? "the database has not been migrated"
      : `${pending.length} migration${pending.length === 1 ? " is" : "s are"} pending (${pending.join(", ")})`;
  return `--no-migrate: ${what}; run \`npm run db:migrate\` once (the release step), then start the instances`;
}
