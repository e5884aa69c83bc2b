import { route } from "@/lib/http/route";
import { db } from "@/lib/db/client";
import { recallParams } from "@/lib/domain/genealogy/input-schema";
import { recallSource } from "@/lib/domain/genealogy/recall-source";

/** Recall by source package: `{success, metrc_number, batches, packages, source_grams_total}`; an unknown tag is 200 with empty lists. */
export const GET = route({ auth: "key|session", role: "viewer", params: recallParams }, async ({ params }) =>
  recallSource(db, params.metrc),
);
