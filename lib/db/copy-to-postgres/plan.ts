import type Database from "better-sqlite3";
import type pg from "pg";
import type { ModelTable } from "@/lib/db/copy-to-postgres/models";

/**
 * What the copy does, table by table, checked against both databases before a row moves: every
 * model's table exists on both sides with the model's columns, neither side has an app table the
 * schema does not know (its rows would be silently left behind), and tables come in foreign-key
 * order (parents first), read from the PostgreSQL catalog.
 */

/** Prisma's own bookkeeping: the target's migration run writes it, it is never copied. */
export const MIGRATIONS_TABLE = "_prisma_migrations";

export interface TablePlan extends ModelTable {
  primaryKey: string[];
  /** Columns backed by a sequence (SERIAL / identity), set to max + 1 after the copy. */
  sequenced: string[];
}

export class PlanError extends Error {}

interface PgTable {
  columns: Set<string>;
  primaryKey: string[];
  parents: Set<string>;
  sequenced: string[];
}

/** The app tables of the target's current schema, with keys, foreign keys and sequences. */
export async function readPgCatalog(client: pg.Client): Promise<Map<string, PgTable>> {
  const tables = new Map<string, PgTable>();
  const columns = await client.query<{ table_name: string; column_name: string; sequenced: boolean }>(
    `SELECT c.table_name, c.column_name,
            pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL AS sequenced
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  for (const row of columns.rows) {
    const table = tables.get(row.table_name) ?? { columns: new Set(), primaryKey: [], parents: new Set(), sequenced: [] };
    table.columns.add(row.column_name);
    if (row.sequenced) table.sequenced.push(row.column_name);
    tables.set(row.table_name, table);
  }
  const constraints = await client.query<{ table_name: string; type: string; parent: string | null; columns: string[] }>(
    `SELECT rel.relname AS table_name, con.contype AS type, ref.relname AS parent,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.pos) AS columns
       FROM pg_constraint con
       JOIN pg_class rel ON rel.oid = con.conrelid
       LEFT JOIN pg_class ref ON ref.oid = con.confrelid
      WHERE rel.relnamespace = current_schema()::regnamespace AND con.contype IN ('p', 'f')`,
  );
  for (const row of constraints.rows) {
    const table = tables.get(row.table_name);
    if (!table) continue;
    if (row.type === "p") table.primaryKey = row.columns;
    else if (row.parent) table.parents.add(row.parent);
  }
  return tables;
}

/** The SQLite file's tables and their columns (SQLite's own tables left out). */
export function readSqliteCatalog(db: Database.Database): Map<string, Set<string>> {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .pluck()
    .all() as string[];
  return new Map(
    names.map((name) => [
      name,
      new Set((db.prepare(`PRAGMA table_info("${name.replaceAll('"', '""')}")`).all() as { name: string }[]).map((c) => c.name)),
    ]),
  );
}

function sameColumns(expected: string[], actual: Set<string>): string | null {
  const missing = expected.filter((c) => !actual.has(c));
  const extra = [...actual].filter((c) => !expected.includes(c));
  if (!missing.length && !extra.length) return null;
  return [missing.length ? `missing ${missing.join(", ")}` : "", extra.length ? `unknown ${extra.join(", ")}` : ""]
    .filter(Boolean)
    .join("; ");
}

export function buildPlan(models: ModelTable[], target: Map<string, PgTable>, source: Map<string, Set<string>>): TablePlan[] {
  const known = new Set(models.map((m) => m.table));
  for (const [side, names] of [
    ["PostgreSQL", [...target.keys()]],
    ["SQLite", [...source.keys()]],
  ] as const) {
    const unknown = names.filter((n) => n !== MIGRATIONS_TABLE && !known.has(n));
    if (unknown.length) throw new PlanError(`the ${side} database has tables the Prisma schema does not know: ${unknown.join(", ")}`);
  }
  const plans = new Map<string, TablePlan>();
  for (const m of models) {
    const pgTable = target.get(m.table);
    const sqliteColumns = source.get(m.table);
    if (!pgTable) throw new PlanError(`table ${m.table} (model ${m.model}) is missing on PostgreSQL after migrating`);
    if (!sqliteColumns) throw new PlanError(`table ${m.table} (model ${m.model}) is missing in the SQLite file`);
    const names = m.columns.map((c) => c.name);
    const pgDiff = sameColumns(names, pgTable.columns);
    if (pgDiff) throw new PlanError(`PostgreSQL table ${m.table} does not match model ${m.model}: ${pgDiff}`);
    const sqliteDiff = sameColumns(names, sqliteColumns);
    if (sqliteDiff) throw new PlanError(`SQLite table ${m.table} does not match model ${m.model}: ${sqliteDiff}`);
    if (!pgTable.primaryKey.length) throw new PlanError(`PostgreSQL table ${m.table} has no primary key`);
    plans.set(m.table, { ...m, primaryKey: pgTable.primaryKey, sequenced: pgTable.sequenced });
  }
  return foreignKeyOrder(plans, target);
}

/** Parents before children (depth-first); a cycle cannot be inserted row by row and is refused. */
function foreignKeyOrder(plans: Map<string, TablePlan>, target: Map<string, PgTable>): TablePlan[] {
  const ordered: TablePlan[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: string, path: string[]) => {
    if (state.get(table) === "done") return;
    if (state.get(table) === "visiting") throw new PlanError(`foreign keys form a cycle: ${[...path, table].join(" → ")}`);
    state.set(table, "visiting");
    // Sorted so the order (and the printed summary) does not depend on catalog order.
    for (const parent of [...(target.get(table)?.parents ?? [])].sort()) if (plans.has(parent)) visit(parent, [...path, table]);
    state.set(table, "done");
    ordered.push(plans.get(table)!);
  };
  for (const table of plans.keys()) visit(table, []);
  return ordered;
}
