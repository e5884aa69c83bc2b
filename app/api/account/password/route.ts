import { route } from "@/lib/http/route";
import { changeOwnPassword, changeOwnPasswordSchema } from "@/lib/domain/users/user-ops";
import { userMessageResponseSchema } from "@/lib/domain/users/user-response";

/** Changes the signed-in user's password; every session of theirs ends. */
export const POST = route(
  { response: userMessageResponseSchema, auth: "session", role: "viewer", body: changeOwnPasswordSchema },
  async ({ body, ctx, principal }) => {
    await changeOwnPassword(ctx, principal.id, body);
    return { success: true, message: "Password changed. Sign in again with the new password." };
  },
);
