import { route, json } from "@/lib/http/route";
import { createSupply, createSupplySchema, listSupplies } from "@/lib/domain/supplies/supplies";
import { suppliesResponseSchema, supplySaveResponseSchema } from "@/lib/domain/supplies/inventory-response";

/** Every supply (papers per size, tips, tubes, boxes …) with stock, alert state and days remaining. */
export const GET = route({ response: suppliesResponseSchema, auth: "key|session", role: "viewer" }, () => listSupplies());

/** A new supply kind: `{kind, size?, name, unit, units_per_box, low_threshold_boxes, boxes, individual_units}` → 201. */
export const POST = route(
  { response: supplySaveResponseSchema, status: 201, auth: "key|session", role: "operator", body: createSupplySchema },
  async ({ body, ctx }) => json({ success: true, supply: await createSupply(ctx, body) }, { status: 201 }),
);
