import { route, json } from "@/lib/http/route";
import { listAudit, listAuditQuery } from "@/lib/domain/audit/list-audit";
import { auditResponseSchema } from "@/lib/domain/audit/audit-response";

/**
 * Audit entries newest first: array of `{batch, strain, ts, field, old, new}` (contract), searchable.
 * Up to `limit` rows (default 50 000, max 100 000); `X-Total-Count` says how many match, and when
 * older rows remain `Link: </api/audit?…&before_id=…&limit=…>; rel="next"` is the next page.
 */
export const GET = route(
  { response: auditResponseSchema, contract: true, auth: "key|session", role: "viewer", query: listAuditQuery },
  async ({ req, query }) => {
    const page = await listAudit(query);
    const headers: Record<string, string> = { "x-total-count": String(page.total) };
    if (page.nextBeforeId !== null) {
      const next = new URLSearchParams((req.nextUrl ?? new URL(req.url)).search);
      next.delete("after_id");
      next.set("before_id", String(page.nextBeforeId));
      next.set("limit", String(query.limit));
      headers.link = `</api/audit?${next.toString()}>; rel="next"`;
    }
    return json(page.entries, { headers });
  },
);
