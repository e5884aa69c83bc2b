import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { deleteUser, updateUser, updateUserSchema } from "@/lib/domain/users/user-ops";
import { userMessageResponseSchema, userSaveResponseSchema } from "@/lib/domain/users/user-response";

export const PATCH = route(
  { response: userSaveResponseSchema, auth: "session", role: "admin", params: idParams, body: updateUserSchema },
  async ({ params, body, ctx }) => ({
    success: true,
    user: await updateUser(ctx, params.id, body),
  }),
);

export const DELETE = route(
  { response: userMessageResponseSchema, auth: "session", role: "admin", params: idParams },
  async ({ params, ctx, principal }) => {
    await deleteUser(ctx, params.id, principal.id);
    return { success: true, message: "User deleted" };
  },
);
