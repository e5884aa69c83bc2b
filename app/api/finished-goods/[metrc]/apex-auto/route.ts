import { route } from "@/lib/http/route";
import { apexMetrcParams } from "@/lib/domain/finished-goods/apex-fields";
import { apexAutoSchema, setApexAuto } from "@/lib/domain/finished-goods/apex-auto";
import { apexAutoResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** `{enabled}` → `{success, metrc_number, apex_auto_inventory}`; 400 "enabled is required". */
export const POST = route(
  {
    response: apexAutoResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: apexMetrcParams,
    body: apexAutoSchema,
  },
  async ({ params, body, ctx }) => setApexAuto(ctx, params.metrc, body),
);
