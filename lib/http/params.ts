import { z } from "zod";

/** Query-string helpers: everything arrives as text. */

/** "true"/"1"/"yes" → true, "false"/"0"/"no"/"" → false (the legacy parser's forms). */
export const queryBool = (fallback = false) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v, ctx) => {
      const s = (Array.isArray(v) ? v[v.length - 1] : v)?.trim().toLowerCase();
      if (s === undefined) return fallback;
      if (["true", "1", "yes", "on"].includes(s)) return true;
      if (["false", "0", "no", "off", ""].includes(s)) return false;
      ctx.addIssue({ code: "custom", message: "Expected true or false" });
      return z.NEVER;
    });

export const idParams = z.strictObject({ id: z.string().min(1).max(100) });
