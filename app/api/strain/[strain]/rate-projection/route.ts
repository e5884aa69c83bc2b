import { z } from "zod";
import { route } from "@/lib/http/route";
import { strainRateProjection } from "@/lib/domain/batches/rate-projection";
import { rateProjectionResponseSchema } from "@/lib/domain/batches/batch-response";

/** Expected rate for a strain from its past batches (case/whitespace-insensitive strain match). */
export const GET = route(
  {
    response: rateProjectionResponseSchema,
    contract: true,
    auth: "key|session",
    role: "viewer",
    params: z.strictObject({ strain: z.string().trim().min(1).max(200) }),
  },
  async ({ params }) => strainRateProjection(params.strain),
);
