import { route } from "@/lib/http/route";
import { regenerateApiKey, regenerateApiKeySchema } from "@/lib/domain/api-keys/api-key-ops";

/** Contract: returns the new key once. The previous key keeps working for `grace_hours` (24). */
export const POST = route({ auth: "session", role: "admin", body: regenerateApiKeySchema }, async ({ body, ctx, principal }) => {
  const result = await regenerateApiKey(ctx, null, body.grace_hours, principal!.id);
  return {
    success: true,
    api_key: result.api_key,
    key: result.key,
    previous: result.previous,
    message: result.previous?.expires_at
      ? `New key created. The previous key keeps working until ${result.previous.expires_at}.`
      : "New key created.",
  };
});
