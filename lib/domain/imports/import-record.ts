import type { Tx } from "@/lib/db/client";
import type { Mutation } from "@/lib/db/mutate";

/**
 * The answer to one `file.received` event: audit rows of entity `file_import` keyed by the event
 * id (status completed|failed, target, counts or error, moved_to), written in the same
 * transaction as the import's changes and its `import.completed` / `import.failed` event. The
 * (entity, entity_id) index makes "was this file event handled?" one cheap lookup, which is what
 * makes redelivery safe: an answered event is never imported again, whatever happened to the file.
 */

export const FILE_IMPORT_ENTITY = "file_import";

export interface ImportRecord {
  status: "completed" | "failed";
  /** Where the file was (to be) moved; null when there was nothing to move. */
  moved_to: string | null;
}

type AuditReader = Pick<Tx, "auditLog">;

export async function findImportRecord(tx: AuditReader, fileEventId: number): Promise<ImportRecord | null> {
  const rows = await tx.auditLog.findMany({
    where: { entity: FILE_IMPORT_ENTITY, entity_id: String(fileEventId), field: { in: ["status", "moved_to"] } },
    select: { field: true, new: true },
  });
  const status = rows.find((r) => r.field === "status")?.new;
  if (status !== "completed" && status !== "failed") return null;
  return { status, moved_to: rows.find((r) => r.field === "moved_to")?.new ?? null };
}

/** Another delivery answered this file event first (two import subscribers, an expired lease). */
export class AlreadyAnswered extends Error {
  constructor(readonly record: ImportRecord) {
    super("This file event was already handled");
  }
}

/**
 * Writes the answer inside the import's mutation. The check is inside the same transaction, which
 * runs one writer at a time (SQLite's BEGIN IMMEDIATE, PostgreSQL's write lock in mutate), so two
 * deliveries cannot both answer.
 */
export async function recordImportOutcome(
  m: Mutation,
  fileEventId: number,
  fileName: string,
  outcome: { status: "completed" | "failed"; moved_to: string | null } & Record<string, unknown>,
): Promise<void> {
  const existing = await findImportRecord(m.tx, fileEventId);
  if (existing) throw new AlreadyAnswered(existing);
  await m.audit({ entity: FILE_IMPORT_ENTITY, entityId: String(fileEventId), label: fileName, before: null, after: outcome });
}

/** Of these file.received event ids, the ones with an answer. */
export async function answeredEventIds(tx: AuditReader, fileEventIds: number[]): Promise<Set<number>> {
  if (fileEventIds.length === 0) return new Set();
  const rows = await tx.auditLog.findMany({
    where: { entity: FILE_IMPORT_ENTITY, entity_id: { in: fileEventIds.map(String) }, field: "status" },
    select: { entity_id: true },
  });
  return new Set(rows.map((r) => Number(r.entity_id)));
}
