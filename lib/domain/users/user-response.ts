import { z } from "zod";
import { roles } from "@/lib/auth/roles";

/** Response schemas of the user, account and password-recovery routes. Zod and constants only. */

const isoDateTime = z.iso.datetime();

/** A user as `summarizeUser` shows it (never the password hash). */
export const userSummarySchema = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(roles),
  active: z.boolean(),
  created_at: isoDateTime,
  last_login_at: isoDateTime.nullable(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

/** GET /api/users. */
export const userListResponseSchema = z.object({ users: z.array(userSummarySchema) });
export type UserListResponse = z.infer<typeof userListResponseSchema>;
/** POST /api/users (201) and PATCH /api/users/{id}. */
export const userSaveResponseSchema = z.object({ success: z.literal(true), user: userSummarySchema });
/** DELETE /api/users/{id}, POST /api/account/password: a sentence for the person. */
export const userMessageResponseSchema = z.object({ success: z.literal(true), message: z.string() });

/** POST /api/account/recovery-key: the new recovery key, shown this once. */
export const recoveryKeyResponseSchema = z.object({ success: z.literal(true), recovery_key: z.string(), message: z.string() });
/** POST /api/password-recovery/verify: a short-lived token for the reset. */
export const recoveryVerifyResponseSchema = z.object({ success: z.literal(true), reset_token: z.string(), expires_at: isoDateTime });
/** POST /api/password-recovery/reset: whose password was reset, and their new recovery key (once). */
export const recoveryResetResponseSchema = z.object({
  success: z.literal(true),
  username: z.string(),
  recovery_key: z.string(),
  message: z.string(),
});
