import { z } from "zod";
import { db, isPostgresClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AuditEntry } from "@/lib/domain/audit/audit-response";

/**
 * GET /api/audit without `limit` answers up to this many rows. The legacy route returned the whole
 * log; counts are updated many times a day (EXISTING-SYSTEM.md), tens of thousands of batch rows a
 * year for one facility, so 50 000 covers a year and more in one answer (about 0.75 s and 10 MB at
 * that size, tests/integration/audit-paging.test.ts). Beyond it the answer says so: `X-Total-Count`
 * and a `Link: <…?before_id=…&limit=…>; rel="next"` header, never a silent cut.
 */
export const AUDIT_DEFAULT_LIMIT = 50_000;
export const AUDIT_MAX_LIMIT = 100_000;

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
  /** Rows per answer: default AUDIT_DEFAULT_LIMIT (a busy facility's year and more), at most AUDIT_MAX_LIMIT. */
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).default(AUDIT_DEFAULT_LIMIT),
});
export type ListAuditQuery = z.output<typeof listAuditQuery>;

export interface AuditPage {
  entries: AuditEntry[];
  /** Rows matching the filters, all pages together (cursors aside). */
  total: number;
  /** Older rows exist beyond this page: ask again with `before_id` = this id. Null on the last page. */
  nextBeforeId: number | null;
}

/**
 * Audit entries newest first in the contract's shape `{batch, strain, ts, field, old, new}` (+ id,
 * entity, actor, trace_id). Unlike the legacy page it can be searched and paged by keyset
 * (`before_id` for older rows, `after_id` for newer ones): every page is an index range on id,
 * so paging stays fast however many rows the table holds (tests/integration/audit-paging.test.ts).
 * The route turns `total` and `nextBeforeId` into `X-Total-Count` and `Link: rel="next"`.
 */
export async function listAudit(query: ListAuditQuery): Promise<AuditPage> {
  const where: Prisma.AuditLogWhereInput = {};
  if (query.entity !== ALL_ENTITIES) where.entity = query.entity;
  if (query.batch) where.entity_id = query.batch;
  if (query.field) where.field = query.field;
  if (query.actor) where.actor = query.actor;
  if (query.since || query.until)
    where.at = { gte: query.since ? new Date(query.since) : undefined, lte: query.until ? new Date(query.until) : undefined };
  if (query.q) {
    // Case-insensitive on both engines: SQLite's LIKE folds ASCII case, PostgreSQL's does not, so
    // there it is ILIKE (`mode`, which the SQLite client does not accept), served by the trigram
    // indexes of prisma/postgres/migrations/*_audit_search_trgm.
    const text = { contains: query.q, ...(isPostgresClient(db) ? { mode: "insensitive" as const } : {}) };
    where.OR = [{ label: text }, { field: text }, { new: text }, { old: text }, { actor: text }];
  }
  const page: Prisma.AuditLogWhereInput =
    query.before_id || query.after_id !== undefined ? { ...where, id: { lt: query.before_id, gt: query.after_id } } : where;
  // Newer page: the `limit` rows just above after_id (ascending), turned back to newest first.
  // An older (or first) page reads one row more than it answers, to know whether another follows.
  const newer = query.after_id !== undefined && !query.before_id;
  const [found, total] = await Promise.all([
    db.auditLog.findMany({ where: page, orderBy: { id: newer ? "asc" : "desc" }, take: newer ? query.limit : query.limit + 1 }),
    db.auditLog.count({ where }),
  ]);
  const more = !newer && found.length > query.limit;
  const rows = more ? found.slice(0, query.limit) : found;
  if (newer) rows.reverse();
  return { entries: rows.map(toEntry), total, nextBeforeId: more ? rows[rows.length - 1].id : null };
}

function toEntry(r: Prisma.AuditLogGetPayload<object>): AuditEntry {
  return {
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
  };
}
