import { route, json } from "@/lib/http/route";
import { createApiKey, createApiKeySchema, listApiKeys } from "@/lib/domain/api-keys/api-key-ops";
import { apiKeyCreateResponseSchema, apiKeyListResponseSchema } from "@/lib/domain/api-keys/api-key-response";

export const GET = route({ response: apiKeyListResponseSchema, auth: "session", role: "admin" }, async () => ({
  keys: await listApiKeys(),
}));

/** 201 `{success, api_key, key}` — `api_key` is the secret, shown this once. */
export const POST = route(
  { response: apiKeyCreateResponseSchema, status: 201, auth: "session", role: "admin", body: createApiKeySchema },
  async ({ body, ctx, principal }) => json({ success: true, ...(await createApiKey(ctx, body, principal.id)) }, { status: 201 }),
);
