import { route } from "@/lib/http/route";
import { z } from "zod";
import { regenerateApiKey } from "@/lib/domain/api-keys/api-key-ops";

/**
 * Contract: returns the new key once and the old one stops working (as ApexAPI's users expect
 * from this button). A `grace_hours` > 0 keeps the old key alive that long instead; the API-keys
 * page offers that, and several keys can be active at once for a rotation without downtime.
 */
const legacyRegenerateSchema = z.strictObject({
  grace_hours: z
    .number()
    .min(0)
    .max(24 * 30)
    .default(0),
});

export const POST = route({ auth: "session", role: "admin", body: legacyRegenerateSchema }, async ({ body, ctx, principal }) => {
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
