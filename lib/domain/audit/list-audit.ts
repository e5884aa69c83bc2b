import { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AuditEntry } from "@/lib/domain/audit/audit-response";

/** `entity=all` lists every kind of entity (the /audit page); the contract's default stays "batch". */
export const ALL_ENTITIES = "all";

export const listAuditQuery = z.strictObject({
  entity: z.string().max(50).default("batch"),
  batch: z.string().max(100).optional(),
  field: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
  q: z.string().trim().max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  before_id: z.coerce.number().int().positive().optional(),
  /** Keyset paging towards newer rows: the rows just above this id (still answered newest first). */
  after_id: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type ListAuditQuery = z.output<typeof listAuditQuery>;

/**
 * Audit entries newest first in the contract's shape `{batch, strain, ts, field, old, new}` (+ id,
 * entity, actor, trace_id). Unlike the legacy page it can be searched and paged by keyset
 * (`before_id` for older rows, `after_id` for newer ones): every page is an index range on id,
 * so paging stays fast however many rows the table holds (tests/integration/audit-paging.test.ts).
 */
export async function listAudit(query: ListAuditQuery): Promise<AuditEntry[]> {
  const where: Prisma.AuditLogWhereInput = {};
  if (query.entity !== ALL_ENTITIES) where.entity = query.entity;
  if (query.batch) where.entity_id = query.batch;
  if (query.field) where.field = query.field;
  if (query.actor) where.actor = query.actor;
  if (query.before_id || query.after_id !== undefined) where.id = { lt: query.before_id, gt: query.after_id };
  if (query.since || query.until)
    where.at = { gte: query.since ? new Date(query.since) : undefined, lte: query.until ? new Date(query.until) : undefined };
  if (query.q) {
    where.OR = [
      { label: { contains: query.q } },
      { field: { contains: query.q } },
      { new: { contains: query.q } },
      { old: { contains: query.q } },
      { actor: { contains: query.q } },
    ];
  }
  // Newer page: the `limit` rows just above after_id (ascending), turned back to newest first.
  const newer = query.after_id !== undefined && !query.before_id;
  const rows = await db.auditLog.findMany({ where, orderBy: { id: newer ? "asc" : "desc" }, take: query.limit });
  if (newer) rows.reverse();
  return rows.map((r) => ({
    id: r.id,
    batch: r.entity_id,
    strain: r.label,
    ts: r.at.toISOString(),
    field: r.field,
    old: r.old,
    new: r.new,
    entity: r.entity,
    actor: r.actor,
    trace_id: r.trace_id,
  }));
}
