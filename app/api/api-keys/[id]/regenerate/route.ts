import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { regenerateApiKey, regenerateApiKeySchema } from "@/lib/domain/api-keys/api-key-ops";

export const POST = route(
  { auth: "session", role: "admin", params: idParams, body: regenerateApiKeySchema },
  async ({ params, body, ctx, principal }) => ({
    success: true,
    ...(await regenerateApiKey(ctx, params.id, body.grace_hours, principal.id)),
  }),
);
