import { route } from "@/lib/http/route";
import { metrcParams } from "@/lib/domain/finished-goods/fields";
import { getFinishedGood } from "@/lib/domain/finished-goods/get-finished-good";
import { updateFinishedGood, updateFinishedGoodSchema } from "@/lib/domain/finished-goods/update-finished-good";
import { removeAction, removeFinishedGood, removeFinishedGoodQuery } from "@/lib/domain/finished-goods/remove-finished-good";
import {
  finishedGoodResponseSchema,
  finishedGoodUpdateResponseSchema,
  removeFinishedGoodResponseSchema,
} from "@/lib/domain/finished-goods/finished-good-response";

/** The package in the contract's shape; 404 `Package not found`. */
export const GET = route(
  { response: finishedGoodResponseSchema, contract: true, auth: "key|session", role: "viewer", params: metrcParams },
  async ({ params }) => getFinishedGood(params.metrc),
);

/** Edits `strain`, `notes`, `source_batch_id` (`reason` goes to history): `{success, updated_fields, package}`. */
export const PUT = route(
  {
    response: finishedGoodUpdateResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: metrcParams,
    body: updateFinishedGoodSchema,
  },
  async ({ params, body, ctx }) => {
    const { package: fg, updated_fields } = await updateFinishedGood(ctx, params.metrc, body);
    return { success: true, updated_fields, package: await getFinishedGood(fg.metrc_number) };
  },
);

/**
 * Archives (default; refused while wholesale holds exist), `?restore=true`, `?orphan=true`, or
 * `?permanent=true` (admin only): `{success, message}`.
 */
export const DELETE = route(
  {
    response: removeFinishedGoodResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: metrcParams,
    query: removeFinishedGoodQuery,
  },
  async ({ params, query, ctx, principal }) =>
    removeFinishedGood(ctx, params.metrc, removeAction(query), { isAdmin: principal.role === "admin" }),
);
