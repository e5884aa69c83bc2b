import { route } from "@/lib/http/route";
import { regenerateApiKey, regenerateApiKeySchema } from "@/lib/domain/api-keys/api-key-ops";
import { contractApiKeyRegenerateResponseSchema } from "@/lib/domain/api-keys/api-key-response";

/**
 * Contract: returns the new key once. The previous key keeps working for `grace_hours` (default
 * 24 h, as the README promises) so ApexAPI can be switched over without an outage — the old
 * system killed it at once, the pain point "regenerating silently breaks ApexAPI";
 * `grace_hours: 0` revokes it immediately. Several keys can be active at once.
 */
export const POST = route(
  { response: contractApiKeyRegenerateResponseSchema, contract: true, auth: "session", role: "admin", body: regenerateApiKeySchema },
  async ({ body, ctx, principal }) => {
    const result = await regenerateApiKey(ctx, null, body.grace_hours, principal.id);
    return {
      success: true,
      api_key: result.api_key,
      key: result.key,
      previous: result.previous,
      message: !result.previous
        ? "New key created."
        : result.previous.revoked_at
          ? "New key created. The previous key was revoked."
          : `New key created. The previous key keeps working until ${result.previous.expires_at}.`,
    };
  },
);
