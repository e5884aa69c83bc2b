import { route } from "@/lib/http/route";
import { getWholesaleInventory } from "@/lib/domain/wholesale/wholesale-inventory";
import { wholesaleInventoryResponseSchema } from "@/lib/domain/wholesale/wholesale-response";

/** `{success, strains:[{strain, packages:[{metrc_number, available_grams, skus:{"0.5g Singles":{units, available, held}}}]}]}`. */
export const GET = route({ response: wholesaleInventoryResponseSchema, contract: true, auth: "session", role: "viewer" }, async () =>
  getWholesaleInventory(),
);
