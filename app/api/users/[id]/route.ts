import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { deleteUser, updateUser, updateUserSchema } from "@/lib/domain/users/user-ops";

export const PATCH = route({ auth: "session", role: "admin", params: idParams, body: updateUserSchema }, async ({ params, body, ctx }) => ({
  success: true,
  user: await updateUser(ctx, params.id, body),
}));

export const DELETE = route({ auth: "session", role: "admin", params: idParams }, async ({ params, ctx, principal }) => {
  await deleteUser(ctx, params.id, principal.id);
  return { success: true, message: "User deleted" };
});
