import { z } from "zod";
import { route } from "@/lib/http/route";
import { releaseHold } from "@/lib/domain/wholesale/holds";
import { wholesaleHoldReleaseResponseSchema } from "@/lib/domain/wholesale/wholesale-response";

const params = z.strictObject({ hold_id: z.string().trim().min(1).max(100) });

/** Releases a hold → `{success, message}`; 404 `{success:false, error}`. */
export const DELETE = route(
  { response: wholesaleHoldReleaseResponseSchema, contract: true, auth: "session", role: "operator", params },
  async ({ params, ctx }) => releaseHold(ctx, params.hold_id),
);
