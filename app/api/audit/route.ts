import { route } from "@/lib/http/route";
import { listAudit, listAuditQuery } from "@/lib/domain/audit/list-audit";

/** Audit entries newest first: array of `{batch, strain, ts, field, old, new}` (contract), searchable. */
export const GET = route({ contract: true, auth: "key|session", role: "viewer", query: listAuditQuery }, async ({ query }) =>
  listAudit(query),
);
