import { route } from "@/lib/http/route";
import { inputParams, updateInputSchema } from "@/lib/domain/genealogy/input-schema";
import { updateInput } from "@/lib/domain/genealogy/update-input";
import { removeInput } from "@/lib/domain/genealogy/remove-input";
import { batchInputChangeResponseSchema } from "@/lib/domain/genealogy/genealogy-response";

/** Changes an input's `source_metrc_number`, `grams` or `notes`: `{success, input, …summary}`; 409 archived batch. */
export const PATCH = route(
  { response: batchInputChangeResponseSchema, auth: "key|session", role: "operator", params: inputParams, body: updateInputSchema },
  async ({ params, body, ctx }) => updateInput(ctx, params.id, params.inputId, body),
);

/** Removes an input: `{success, input (the removed one), …summary}`; 409 archived batch. */
export const DELETE = route(
  { response: batchInputChangeResponseSchema, auth: "key|session", role: "operator", params: inputParams },
  async ({ params, ctx }) => removeInput(ctx, params.id, params.inputId),
);
