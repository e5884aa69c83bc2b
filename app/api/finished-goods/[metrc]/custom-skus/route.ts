import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { apexMetrcParams } from "@/lib/domain/finished-goods/apex-fields";
import {
  getCustomSkus,
  replaceCustomSkus,
  replaceCustomSkusSchema,
  upsertCustomSku,
  upsertCustomSkuSchema,
} from "@/lib/domain/finished-goods/custom-skus";
import { customSkuUpsertResponseSchema, customSkusResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** `{success, metrc_number, custom_skus, effective_skus:{sku:{unit_size, pack_size, source}}}`. */
export const GET = route(
  { response: customSkusResponseSchema, contract: true, auth: "key|session", role: "viewer", params: apexMetrcParams },
  async ({ params }) => getCustomSkus(db, params.metrc),
);

/** `{custom_skus}` replaces them all (null clears); 400 "custom_skus field is required". */
export const POST = route(
  {
    response: customSkusResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: apexMetrcParams,
    body: replaceCustomSkusSchema,
  },
  async ({ params, body, ctx }) => replaceCustomSkus(ctx, params.metrc, body),
);

/** `{sku_key, sku_def, current_settings?}` adds or replaces one → `{success, metrc_number, sku_key, sku_def, …}`. */
export const PUT = route(
  {
    response: customSkuUpsertResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: apexMetrcParams,
    body: upsertCustomSkuSchema,
  },
  async ({ params, body, ctx }) => upsertCustomSku(ctx, params.metrc, body),
);
