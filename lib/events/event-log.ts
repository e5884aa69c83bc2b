import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { EventEnvelope } from "@/lib/events/catalogue";
import { isPostgresClient } from "@/lib/db/client";
import { feedDb, resolveTypeFilter, typeGlobsParam } from "@/lib/events/feed";
import { toEnvelope } from "@/lib/events/outbox";

/**
 * Event log search for the admin Event system page (SPEC §4.5): newest first, filtered by type
 * glob, time window, trace id, actor and payload text, paged with `before_id`.
 */

const text = (max: number) => z.string().trim().min(1).max(max);

export const eventLogQuery = z.preprocess(
  // Empty form fields (`?q=&actor=`) mean "no filter".
  (raw) => (raw && typeof raw === "object" ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "")) : raw),
  z.strictObject({
    type: typeGlobsParam,
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    trace_id: text(100).optional(),
    /** Text the payload's JSON contains (ASCII letters without regard to case). */
    q: text(200).optional(),
    /** Exact actor: a username, `api-key:<name>`, `worker`, `system`. */
    actor: text(200).optional(),
    before_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
);
export type EventLogQuery = z.output<typeof eventLogQuery>;

export interface EventLogPage {
  events: EventEnvelope[];
  /** Pass as `before_id` for the next (older) page; null when there is none. */
  next_before_id: number | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function searchEventLog(query: EventLogQuery): Promise<EventLogPage> {
  // The ids are chosen in SQL (payload text search has no Prisma filter), the rows then loaded
  // through Prisma. Portable SQL except the LIKE: SQLite's folds ASCII case, PostgreSQL's does not,
  // so there it is ILIKE. The payload's text is as written on both engines (SQLite text, PostgreSQL
  // `json`, not jsonb, see scripts/migrate.mjs), so `"key":"value"` copied from the feed matches.
  const conditions: Prisma.Sql[] = [];
  if (query.type) {
    const { types } = await resolveTypeFilter(query.type);
    if (types.length === 0) return { events: [], next_before_id: null };
    conditions.push(Prisma.sql`type IN (${Prisma.join(types)})`);
  }
  // Dates go in as Date parameters: the driver adapter writes them exactly as it stores created_at.
  if (query.since) conditions.push(Prisma.sql`created_at >= ${new Date(query.since)}`);
  if (query.until) conditions.push(Prisma.sql`created_at <= ${new Date(query.until)}`);
  if (query.trace_id) conditions.push(Prisma.sql`trace_id = ${query.trace_id}`);
  if (query.actor) conditions.push(Prisma.sql`actor = ${query.actor}`);
  if (query.before_id) conditions.push(Prisma.sql`id < ${query.before_id}`);
  if (query.q) {
    const like = isPostgresClient(feedDb()) ? Prisma.sql`ILIKE` : Prisma.sql`LIKE`;
    conditions.push(Prisma.sql`CAST(payload AS TEXT) ${like} ${`%${escapeLike(query.q)}%`} ESCAPE '\\'`);
  }
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;

  const found = await feedDb().$queryRaw<
    { id: number | bigint }[]
  >`SELECT id FROM events ${where} ORDER BY id DESC LIMIT ${query.limit + 1}`;
  const ids = found.map((r) => Number(r.id));
  const more = ids.length > query.limit;
  const pageIds = more ? ids.slice(0, query.limit) : ids;
  const rows = pageIds.length > 0 ? await feedDb().event.findMany({ where: { id: { in: pageIds } }, orderBy: { id: "desc" } }) : [];
  return { events: rows.map(toEnvelope), next_before_id: more ? pageIds[pageIds.length - 1] : null };
}
