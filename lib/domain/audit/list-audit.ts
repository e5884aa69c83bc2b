import { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export const listAuditQuery = z.strictObject({
  entity: z.string().max(50).default("batch"),
  batch: z.string().max(100).optional(),
  field: z.string().max(100).optional(),
  q: z.string().trim().max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  before_id: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type ListAuditQuery = z.output<typeof listAuditQuery>;

/**
 * Audit entries newest first in the contract's shape `{batch, strain, ts, field, old, new}` (+ id,
 * entity, actor, trace_id). Unlike the legacy page it can be searched and paged (`before_id`).
 */
export async function listAudit(query: ListAuditQuery) {
  const where: Prisma.AuditLogWhereInput = { entity: query.entity };
  if (query.batch) where.entity_id = query.batch;
  if (query.field) where.field = query.field;
  if (query.before_id) where.id = { lt: query.before_id };
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
  const rows = await db.auditLog.findMany({ where, orderBy: { id: "desc" }, take: query.limit });
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
