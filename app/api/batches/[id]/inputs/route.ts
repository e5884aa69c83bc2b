import { route, json } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { db } from "@/lib/db/client";
import { addInputSchema } from "@/lib/domain/genealogy/input-schema";
import { listInputs } from "@/lib/domain/genealogy/list-inputs";
import { addInput } from "@/lib/domain/genealogy/add-input";
import { batchInputsResponseSchema, batchInputChangeResponseSchema } from "@/lib/domain/genealogy/genealogy-response";

/** The batch's METRC source packages: `{success, batch_id, strain, archived, inputs, input_grams, inputs_total_grams, input_grams_warning}`. */
export const GET = route(
  { response: batchInputsResponseSchema, auth: "key|session", role: "viewer", params: idParams },
  async ({ params }) => listInputs(db, params.id),
);

/** Adds a source package `{source_metrc_number, grams, notes?}`: 201 `{success, input, input_grams, inputs_total_grams, input_grams_warning}`; 409 archived batch. */
export const POST = route(
  { response: batchInputChangeResponseSchema, status: 201, auth: "key|session", role: "operator", params: idParams, body: addInputSchema },
  async ({ params, body, ctx }) => json(await addInput(ctx, params.id, body), { status: 201 }),
);
