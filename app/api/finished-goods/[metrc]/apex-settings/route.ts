import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { apexMetrcParams } from "@/lib/domain/finished-goods/apex-fields";
import { apexSettingsSchema, readApexSettings, updateApexSettings } from "@/lib/domain/finished-goods/apex-settings";
import { apexSettingsResponseSchema } from "@/lib/domain/finished-goods/finished-good-response";

/** The package's per-SKU Apex settings (an addition to the contract, for the settings dialog). */
export const GET = route(
  { response: apexSettingsResponseSchema, auth: "key|session", role: "viewer", params: apexMetrcParams },
  async ({ params }) => readApexSettings(db, params.metrc),
);

/** `{settings:{sku:{excluded, manual_units}}, auto_calculate}` → `{success, metrc_number, settings}`. */
export const POST = route(
  {
    response: apexSettingsResponseSchema,
    contract: true,
    auth: "key|session",
    role: "operator",
    params: apexMetrcParams,
    body: apexSettingsSchema,
  },
  async ({ params, body, ctx }) => updateApexSettings(ctx, params.metrc, body),
);
