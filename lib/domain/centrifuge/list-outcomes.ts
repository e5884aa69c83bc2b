import { z } from "zod";
import { db } from "@/lib/db/client";
import type { CentrifugeOutcome } from "@/lib/generated/prisma/client";
import { grindSizes, sizes } from "@/lib/domain/batches/constants";
import { serializeOutcome } from "@/lib/domain/centrifuge/record-outcome";
import { strainKey } from "@/lib/domain/centrifuge/strain";
import type { CentrifugeOutcomeListResponse } from "@/lib/domain/centrifuge/centrifuge-response";

export const listOutcomesQuery = z.object({
  strain: z.string().trim().min(1).max(200).optional(),
  size: z.enum(sizes).optional(),
  grind_size: z.enum(grindSizes).optional(),
  batch_id: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/**
 * Outcomes of one strain (case/spacing-insensitive), or all; `size`, `grind_size`, `batch_id`
 * narrow it. In recording order (oldest first), the newest `limit`.
 */
export async function strainOutcomes(filter: {
  strain?: string;
  size?: string;
  grind_size?: string;
  batch_id?: string;
}): Promise<CentrifugeOutcome[]> {
  const rows = await db.centrifugeOutcome.findMany({
    where: { size: filter.size, grind_size: filter.grind_size, batch_id: filter.batch_id },
    orderBy: [{ recorded_at: "asc" }, { id: "asc" }],
  });
  if (!filter.strain) return rows;
  const key = strainKey(filter.strain);
  return rows.filter((o) => strainKey(o.strain) === key);
}

/** `GET /api/centrifuge/outcomes`: `{success, strain, outcomes, total}`, newest first. */
export async function listOutcomes(query: z.output<typeof listOutcomesQuery>): Promise<CentrifugeOutcomeListResponse> {
  const rows = await strainOutcomes(query);
  const newest = rows.reverse().slice(0, query.limit);
  return { success: true, strain: query.strain ?? null, outcomes: newest.map(serializeOutcome), total: rows.length };
}
