import { z } from "zod";

/**
 * Request rules of PUT /api/pushover/settings and POST /api/pushover/test, apart from the server
 * code so the /settings page validates with them (zod only, no server imports).
 */

/** A key as typed; "" or null clears it; a masked value sent back by a form means "unchanged". */
const keyField = z
  .union([z.string().trim().max(100), z.null()])
  .optional()
  .refine((v) => v === undefined || v === null || v === "" || v.startsWith("••••") || /^[A-Za-z0-9]+$/.test(v), {
    message: "Pushover keys are letters and digits",
  });

export const updatePushoverSchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    user_key: keyField,
    app_token: keyField,
    warning_grams: z.number().min(0).max(1_000_000).optional(),
    critical_grams: z.number().min(0).max(1_000_000).optional(),
    cooldown_hours: z
      .number()
      .min(1, "cooldown_hours must be at least 1")
      .max(24 * 30)
      .optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to update" });

export const testLevels = ["info", "warning", "critical"] as const;
export const pushoverTestQuery = z.object({ level: z.enum(testLevels).default("info") });
