import { route, json } from "@/lib/http/route";
import { createUser, createUserSchema, listUsers } from "@/lib/domain/users/user-ops";
import { userListResponseSchema, userSaveResponseSchema } from "@/lib/domain/users/user-response";

export const GET = route({ response: userListResponseSchema, auth: "session", role: "admin" }, async () => ({ users: await listUsers() }));

export const POST = route(
  { response: userSaveResponseSchema, status: 201, auth: "session", role: "admin", body: createUserSchema },
  async ({ body, ctx }) => json({ success: true, user: await createUser(ctx, body) }, { status: 201 }),
);
