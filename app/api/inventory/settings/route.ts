import { route } from "@/lib/http/route";
import { inventorySettingsSchema, updatePaperSettings } from "@/lib/domain/supplies/paper-operations";
import { inventorySettingsResponseSchema } from "@/lib/domain/supplies/inventory-response";

/**
 * Thresholds (boxes) and papers per box per size (contract): `thresholds:{size:boxes}`,
 * `papers_per_box:{size:n}` → `{status, message}`. key|session per the contract; operator role,
 * as the floor maintains the paper shelf.
 */
export const POST = route(
  { response: inventorySettingsResponseSchema, contract: true, auth: "key|session", role: "operator", body: inventorySettingsSchema },
  ({ body, ctx }) => updatePaperSettings(ctx, body),
);
