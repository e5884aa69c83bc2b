import { route } from "@/lib/http/route";
import { db } from "@/lib/db/client";
import { recallParams } from "@/lib/domain/genealogy/input-schema";
import { recallPackage } from "@/lib/domain/genealogy/recall-package";
import { packageRecallResponseSchema } from "@/lib/domain/genealogy/genealogy-response";

/** Recall by finished-goods package: `{success, metrc_number, package, batch, sources, packages}`; an unknown tag is 200 with nulls and empty lists. */
export const GET = route(
  { response: packageRecallResponseSchema, auth: "key|session", role: "viewer", params: recallParams },
  async ({ params }) => recallPackage(db, params.metrc),
);
