import { route } from "@/lib/http/route";
import { tooManyRequests } from "@/lib/http/errors";
import { clientIp, consumeRecoveryAttempt } from "@/lib/auth/login-limiter";
import { resetPassword, resetPasswordSchema } from "@/lib/domain/recovery/recovery-ops";
import { recoveryResetResponseSchema } from "@/lib/domain/users/user-response";

/** Forgot password, step 2 (5/min per IP): new password; answers with a new recovery key, once. */
export const POST = route(
  { response: recoveryResetResponseSchema, auth: "public", role: "viewer", body: resetPasswordSchema },
  async ({ req, body, ctx }) => {
    const wait = await consumeRecoveryAttempt("reset", clientIp(req.headers));
    if (wait) throw tooManyRequests(wait);
    const result = await resetPassword({ ...ctx, actor: "password-recovery" }, body);
    return {
      success: true,
      username: result.username,
      recovery_key: result.recovery_key,
      message: "Password reset. Keep the new recovery key safe.",
    };
  },
);
