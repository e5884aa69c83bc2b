import { z } from "zod";
import { route } from "@/lib/http/route";
import { dismissPaperAlert } from "@/lib/domain/supplies/paper-operations";
import { dismissResponseSchema } from "@/lib/domain/supplies/inventory-response";

/**
 * Dismisses one size's low-stock banner (contract) → `{status, message}`. It stays dismissed until
 * the stock is replenished to the threshold or drops one further full box (dismissal.ts).
 */
export const POST = route(
  {
    response: dismissResponseSchema,
    contract: true,
    auth: "session",
    role: "operator",
    params: z.strictObject({ size: z.string().max(20) }),
  },
  ({ params, ctx }) => dismissPaperAlert(ctx, params.size),
);
