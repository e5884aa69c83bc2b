import { route, json } from "@/lib/http/route";
import { createUser, createUserSchema, listUsers } from "@/lib/domain/users/user-ops";

export const GET = route({ auth: "session", role: "admin" }, async () => ({ users: await listUsers() }));

export const POST = route({ auth: "session", role: "admin", body: createUserSchema }, async ({ body, ctx }) =>
  json({ success: true, user: await createUser(ctx, body) }, { status: 201 }),
);
