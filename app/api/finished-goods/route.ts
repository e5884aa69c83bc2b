import { route, json } from "@/lib/http/route";
import { listFinishedGoods, listFinishedGoodsQuery } from "@/lib/domain/finished-goods/list-finished-goods";
import { createFinishedGood, createFinishedGoodSchema } from "@/lib/domain/finished-goods/create-finished-good";
import { getFinishedGood } from "@/lib/domain/finished-goods/get-finished-good";
import { finishedGoodCreateResponseSchema, finishedGoodListSchema } from "@/lib/domain/finished-goods/finished-good-response";

/**
 * `GET /api/finished-goods/` (both spellings: next.config skips the trailing-slash redirect):
 * `{packages, total, summary, settings}`; `include_archived`, `strain`, `status`, `search`.
 */
export const GET = route(
  { response: finishedGoodListSchema, contract: true, auth: "key|session", role: "viewer", query: listFinishedGoodsQuery },
  async ({ query }) => listFinishedGoods(query),
);

/** Creates a package: 201 `{success, message, package}`; 400 per missing field; 409 duplicate. */
export const POST = route(
  {
    response: finishedGoodCreateResponseSchema,
    status: 201,
    contract: true,
    auth: "key|session",
    role: "operator",
    body: createFinishedGoodSchema,
  },
  async ({ body, ctx }) => {
    const fg = await createFinishedGood(ctx, body);
    return json(
      { success: true, message: "Package created successfully", package: await getFinishedGood(fg.metrc_number) },
      { status: 201 },
    );
  },
);
