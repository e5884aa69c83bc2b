import { route } from "@/lib/http/route";
import { tooManyRequests } from "@/lib/http/errors";
import { clientIp, consumeRecoveryAttempt } from "@/lib/auth/login-limiter";
import { verifyRecoveryKey, verifyRecoverySchema } from "@/lib/domain/recovery/recovery-ops";
import { recoveryVerifyResponseSchema } from "@/lib/domain/users/user-response";

/** Forgot password, step 1 (2 attempts/min per IP): a recovery key → a 10-minute reset token. */
export const POST = route(
  { response: recoveryVerifyResponseSchema, auth: "public", role: "viewer", body: verifyRecoverySchema },
  async ({ req, body, ctx }) => {
    const wait = await consumeRecoveryAttempt("forgot", clientIp(req.headers));
    if (wait) throw tooManyRequests(wait);
    return { success: true, ...(await verifyRecoveryKey(ctx, body)) };
  },
);
