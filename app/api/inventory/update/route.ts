import { route } from "@/lib/http/route";
import { inventoryUpdateSchema, updatePaperCount } from "@/lib/domain/supplies/paper-operations";
import { inventoryUpdateResponseSchema } from "@/lib/domain/supplies/inventory-response";

/**
 * A physical count of one size (contract): `size` ("0_5"…), `box_count`, `individual_papers` →
 * `{status, message, inventory:{boxes, individual_papers, total_papers}}`; 400 `Invalid size`.
 */
export const POST = route(
  { response: inventoryUpdateResponseSchema, contract: true, auth: "key|session", role: "operator", body: inventoryUpdateSchema },
  ({ body, ctx }) => updatePaperCount(ctx, body),
);
