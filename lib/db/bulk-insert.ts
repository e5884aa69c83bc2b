import type { Tx } from "@/lib/db/client";
import { databaseUrl, isPostgresUrl } from "@/lib/db/client";

/**
 * Many rows into one table inside the caller's transaction. Prisma's createMany costs ~0.2 ms a
 * row through the SQLite adapter (200 000 audit rows: 35 s); one multi-row INSERT per 100 rows
 * is ~15× faster. Values are stored the way Prisma stores them on SQLite: DateTime as ISO text
 * with `+00:00`, Boolean as 0/1, Json as its text. Other databases use createMany.
 */

const ROWS_PER_STATEMENT = 100;

type Value = string | number | boolean | Date | null | undefined | object;

function sqliteValue(value: Value, json: boolean): string | number | null {
  if (value === null || value === undefined) return null;
  if (json) return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

export async function bulkInsert<Row extends Record<string, Value>>(
  tx: Tx,
  spec: { table: string; model: keyof Tx; columns: readonly (keyof Row & string)[]; json?: readonly (keyof Row & string)[] },
  rows: Row[],
): Promise<void> {
  if (rows.length === 0) return;
  if (isPostgresUrl(databaseUrl())) {
    const delegate = tx[spec.model] as unknown as { createMany(a: { data: Row[] }): Promise<unknown> };
    for (let i = 0; i < rows.length; i += 500) await delegate.createMany({ data: rows.slice(i, i + 500) });
    return;
  }
  const json = new Set<string>(spec.json ?? []);
  const columns = spec.columns.map((c) => `"${c}"`).join(", ");
  const tuple = `(${spec.columns.map(() => "?").join(", ")})`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const params = chunk.flatMap((r) => spec.columns.map((c) => sqliteValue(r[c], json.has(c))));
    await tx.$executeRawUnsafe(`INSERT INTO "${spec.table}" (${columns}) VALUES ${chunk.map(() => tuple).join(", ")}`, ...params);
  }
}
