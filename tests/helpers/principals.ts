import { db } from "@/lib/db/client";
import { createApiKey, createUser } from "@/prisma/seed/user";
import { apiKeyHeaders, sessionHeaders } from "@/tests/helpers/http";

/** One of each kind of caller, with ready-made headers. */
export async function createPrincipals() {
  const admin = await createUser(db, { role: "admin", username: "admin" });
  const operator = await createUser(db, { role: "operator", username: "operator" });
  const viewer = await createUser(db, { role: "viewer", username: "viewer" });
  const key = await createApiKey(db, { name: "ApexAPI", role: "operator" });
  return {
    admin,
    operator,
    viewer,
    key,
    headers: {
      anonymous: {} as Record<string, string>,
      admin: await sessionHeaders(admin),
      operator: await sessionHeaders(operator),
      viewer: await sessionHeaders(viewer),
      apiKey: apiKeyHeaders(key.key),
    },
  };
}
