import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { revokeApiKey } from "@/lib/domain/api-keys/api-key-ops";
import { apiKeyRevokeResponseSchema } from "@/lib/domain/api-keys/api-key-response";

/** Revokes a key at once. */
export const DELETE = route(
  { response: apiKeyRevokeResponseSchema, auth: "session", role: "admin", params: idParams },
  async ({ params, ctx }) => ({
    success: true,
    key: await revokeApiKey(ctx, params.id),
  }),
);
