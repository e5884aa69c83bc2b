import { route } from "@/lib/http/route";
import { generateUserRecoveryKey } from "@/lib/domain/recovery/recovery-ops";
import { recoveryKeyResponseSchema } from "@/lib/domain/users/user-response";

/** A new recovery key for the signed-in user, shown once; the previous one stops working. */
export const POST = route({ response: recoveryKeyResponseSchema, auth: "session", role: "viewer" }, async ({ ctx, principal }) => ({
  success: true,
  recovery_key: await generateUserRecoveryKey(ctx, principal.id),
  message: "Write this key down and keep it safe. It will not be shown again.",
}));
