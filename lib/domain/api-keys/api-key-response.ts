import { z } from "zod";
import { roles } from "@/lib/auth/roles";

/** Response schemas of the API-key routes (lib/domain/api-keys/api-key-ops.ts). Zod and constants only. */

const isoDateTime = z.iso.datetime();

/** A key as `summarizeApiKey` shows it: never the secret, only its prefix. */
export const apiKeySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(roles),
  created_at: isoDateTime,
  last_used_at: isoDateTime.nullable(),
  expires_at: isoDateTime.nullable(),
  revoked_at: isoDateTime.nullable(),
  active: z.boolean(),
});
export type ApiKeySummary = z.infer<typeof apiKeySummarySchema>;

/** Contract GET /api/api-key: keys are stored hashed, so `api_key` is always null; the newest active key's prefix and use. */
export const contractApiKeyResponseSchema = z.object({
  api_key: z.null(),
  key_prefix: z.string().nullable(),
  last_used: isoDateTime.nullable(),
  created_at: isoDateTime.nullable(),
  message: z.string(),
  active_keys: z.array(apiKeySummarySchema),
});

/** POST /api/api-keys/{id}/regenerate: the new secret (shown this once), its summary and the previous key's. */
export const apiKeyRegenerateResponseSchema = z.object({
  success: z.literal(true),
  api_key: z.string(),
  key: apiKeySummarySchema,
  previous: apiKeySummarySchema.nullable(),
});
/** Contract POST /api/api-key/regenerate: as above with a message saying what happened to the previous key. */
export const contractApiKeyRegenerateResponseSchema = apiKeyRegenerateResponseSchema.extend({ message: z.string() });

/** GET /api/api-keys. */
export const apiKeyListResponseSchema = z.object({ keys: z.array(apiKeySummarySchema) });
export type ApiKeyListResponse = z.infer<typeof apiKeyListResponseSchema>;
/** POST /api/api-keys (201). */
export const apiKeyCreateResponseSchema = z.object({ success: z.literal(true), api_key: z.string(), key: apiKeySummarySchema });
/** DELETE /api/api-keys/{id}: the revoked key. */
export const apiKeyRevokeResponseSchema = z.object({ success: z.literal(true), key: apiKeySummarySchema });
