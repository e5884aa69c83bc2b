import { z } from "zod";
import { route } from "@/lib/http/route";
import { allocate, gramsFor } from "@/lib/domain/batches/allocation";
import { getSettings } from "@/lib/domain/settings/settings";
import type { AllocationPreviewResponse } from "@/lib/domain/batches/batch-response";
import { allocationPreviewResponseSchema } from "@/lib/domain/batches/batch-response";

/** Units per size that `weight` grams make under the allocation setting. */
export const GET = route(
  {
    response: allocationPreviewResponseSchema,
    contract: true,
    auth: "session",
    role: "viewer",
    query: z.strictObject({ weight: z.coerce.number().min(0).max(1_000_000).default(1000) }),
  },
  async ({ query }): Promise<AllocationPreviewResponse> => {
    const { allocation } = await getSettings();
    const units = allocate(query.weight, allocation);
    return {
      allocation,
      counts_0_5: units["0_5"],
      counts_0_7: units["0_7"],
      counts_1_0: units["1_0"],
      total_units: units["0_5"] + units["0_7"] + units["1_0"],
      expected_output: gramsFor(units),
      weight: query.weight,
    };
  },
);
