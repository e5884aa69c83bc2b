import type Database from "better-sqlite3";
import type pg from "pg";
import { ConvertError, converterFor } from "@/lib/db/copy-to-postgres/convert";
import { ident } from "@/lib/db/copy-to-postgres/checks";
import type { TablePlan } from "@/lib/db/copy-to-postgres/plan";

/**
 * Copies one table inside the caller's PostgreSQL transaction: rows read in primary-key order
 * from SQLite, converted, and written by multi-row INSERTs with their ids as they are; then the
 * table's sequences are moved past the largest id, so the next insert gets max(id) + 1.
 */

/** PostgreSQL takes at most 65 535 parameters per statement. */
const MAX_PARAMS = 65_000;
const MAX_ROWS_PER_STATEMENT = 1_000;

export async function copyTable(sqlite: Database.Database, client: pg.Client, plan: TablePlan): Promise<number> {
  const names = plan.columns.map((c) => c.name);
  const converters = plan.columns.map((c) => converterFor(c.type, `${plan.table}.${c.name}`));
  const columnList = names.map(ident).join(", ");
  const rowsPerStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMS / names.length)));
  const insert = (count: number) => {
    const tuples = Array.from({ length: count }, (_, r) => `(${names.map((_, c) => `$${r * names.length + c + 1}`).join(", ")})`);
    return `INSERT INTO ${ident(plan.table)} (${columnList}) VALUES ${tuples.join(", ")}`;
  };
  const fullInsert = insert(rowsPerStatement);

  const select = sqlite.prepare(`SELECT ${columnList} FROM ${ident(plan.table)} ORDER BY ${plan.primaryKey.map(ident).join(", ")}`).raw();
  let params: unknown[] = [];
  let pending = 0;
  let copied = 0;
  const flush = async () => {
    if (!pending) return;
    await client.query(pending === rowsPerStatement ? fullInsert : insert(pending), params);
    copied += pending;
    params = [];
    pending = 0;
  };
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    for (let c = 0; c < names.length; c++) {
      try {
        params.push(converters[c](row[c]));
      } catch (err) {
        if (!(err instanceof ConvertError)) throw err;
        const key = plan.primaryKey.map((k) => `${k}=${String(row[names.indexOf(k)])}`).join(", ");
        throw new ConvertError(`${plan.table}.${names[c]} (${key}): ${err.message}`);
      }
    }
    pending += 1;
    if (pending === rowsPerStatement) await flush();
  }
  await flush();

  for (const column of plan.sequenced) await setSequenceAfterMax(client, plan.table, column);
  return copied;
}

/**
 * Moves the sequence behind `table.column` so the next insert gets max(column) + 1 (1 for an empty
 * table), or `floor` + 1 when that is higher (ids already handed out elsewhere, e.g. event ids a
 * feed consumer has seen). is_called = false: "the next value is", not "the last value was".
 * Also used by the PostgreSQL restore (lib/domain/backups/postgres-backup.ts).
 */
export async function setSequenceAfterMax(client: pg.Client, table: string, column: string, floor = 0): Promise<void> {
  await client.query(
    `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(COALESCE(MAX(${ident(column)}), 0), $3::bigint) + 1, false) FROM ${ident(table)}`,
    [ident(table), column, floor],
  );
}
