import { z } from "zod";
import { db, type Db } from "@/lib/db/client";
import { badRequest } from "@/lib/http/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { serializeInboundEvent, type InboundEventView } from "@/lib/events/sources/process";

/**
 * GET /api/webhooks/events: stored inbound events with their processing status and error.
 * Newest first by default, paged with `before` (= the previous page's `next_before`); with
 * `after` the order is oldest first from that id, paged with `next_after` (for incremental reads).
 */

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const inboundEventsQuery = z.preprocess(
  // Empty form fields mean "no filter".
  (raw) => (raw && typeof raw === "object" ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "")) : raw),
  z.strictObject({
    /** A source id or name. */
    source: z.string().trim().min(1).max(100).optional(),
    status: z.enum(["pending", "processed", "failed", "ignored"]).optional(),
    /** The remote type or the local (mapped) type, exactly. */
    type: z.string().trim().min(1).max(200).optional(),
    after: id.optional(),
    before: id.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
);
export type InboundEventsQuery = z.output<typeof inboundEventsQuery>;

export interface InboundEventsPage {
  events: InboundEventView[];
  has_more: boolean;
  /** Pass as `before` for the next (older) page; null in `after` mode or at the end. */
  next_before: number | null;
  /** Pass as `after` for the next (newer) page; null unless paging with `after`. */
  next_after: number | null;
}

export async function listInboundEvents(query: InboundEventsQuery, client: Db = db): Promise<InboundEventsPage> {
  if (query.after !== undefined && query.before !== undefined) {
    throw badRequest(
      "Use after or before, not both",
      { location: "query", fields: { after: ["Use after or before, not both"] } },
      "validation_failed",
    );
  }
  const ascending = query.after !== undefined;
  const where: Prisma.InboundEventWhereInput = {};
  if (query.source) where.OR = [{ source_id: query.source }, { source: { name: query.source } }];
  if (query.status) where.status = query.status;
  if (query.type) where.AND = [{ OR: [{ type: query.type }, { mapped_type: query.type }] }];
  if (query.after !== undefined) where.id = { gt: query.after };
  if (query.before !== undefined) where.id = { lt: query.before };
  const rows = await client.inboundEvent.findMany({
    where,
    include: { source: { select: { name: true } } },
    orderBy: { id: ascending ? "asc" : "desc" },
    take: query.limit + 1,
  });
  const has_more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.length > 0 ? page[page.length - 1].id : null;
  return {
    events: page.map(serializeInboundEvent),
    has_more,
    next_before: !ascending && has_more ? last : null,
    next_after: ascending ? (last ?? query.after ?? null) : null,
  };
}
