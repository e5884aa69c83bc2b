import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { regenerateApiKey, regenerateApiKeySchema } from "@/lib/domain/api-keys/api-key-ops";
import { apiKeyRegenerateResponseSchema } from "@/lib/domain/api-keys/api-key-response";

export const POST = route(
  { response: apiKeyRegenerateResponseSchema, auth: "session", role: "admin", params: idParams, body: regenerateApiKeySchema },
  async ({ params, body, ctx, principal }) => ({
    success: true,
    ...(await regenerateApiKey(ctx, params.id, body.grace_hours, principal.id)),
  }),
);
