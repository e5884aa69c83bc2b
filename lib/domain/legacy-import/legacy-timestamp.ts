import type { Db } from "@/lib/db/client";

/**
 * The legacy timestamp text of an imported audit or history row. ApexAPI stored the old
 * last-updated values verbatim (`2026-03-02T14:05:11.482913`, no zone): while the newest row is an
 * imported one, the last-updated endpoints hand back that same text, so its comparison still says
 * "unchanged". null for rows made here.
 */
export async function legacyTimestampOf(
  client: Pick<Db, "legacyImportRow">,
  sources: string[],
  row: { id: number; actor: string | null },
): Promise<string | null> {
  if (row.actor !== "import") return null;
  const mark = await client.legacyImportRow.findFirst({
    where: { source_table: { in: sources }, target_id: String(row.id) },
    select: { legacy_timestamp: true },
  });
  return mark?.legacy_timestamp ?? null;
}
