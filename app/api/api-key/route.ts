import { route } from "@/lib/http/route";
import { listApiKeys } from "@/lib/domain/api-keys/api-key-ops";
import { contractApiKeyResponseSchema } from "@/lib/domain/api-keys/api-key-response";

/**
 * Contract `GET /api/api-key`: the key and its usage. Keys are stored hashed, so the secret itself
 * is only ever shown when created or regenerated; this returns the active keys' prefixes and use.
 */
export const GET = route({ response: contractApiKeyResponseSchema, contract: true, auth: "session", role: "admin" }, async () => {
  const keys = await listApiKeys();
  const active = keys.filter((k) => k.active);
  const primary = active[0] ?? null;
  return {
    api_key: null,
    key_prefix: primary?.prefix ?? null,
    last_used: primary?.last_used_at ?? null,
    created_at: primary?.created_at ?? null,
    message: "API keys are stored hashed and shown once, when created or regenerated.",
    active_keys: active,
  };
});
