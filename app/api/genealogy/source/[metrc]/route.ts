import { route } from "@/lib/http/route";
import { db } from "@/lib/db/client";
import { recallParams } from "@/lib/domain/genealogy/input-schema";
import { recallSource } from "@/lib/domain/genealogy/recall-source";
import { sourceRecallResponseSchema } from "@/lib/domain/genealogy/genealogy-response";

/** Recall by source package: `{success, metrc_number, batches, packages, source_grams_total}`; an unknown tag is 200 with empty lists. */
export const GET = route(
  { response: sourceRecallResponseSchema, auth: "key|session", role: "viewer", params: recallParams },
  async ({ params }) => recallSource(db, params.metrc),
);
