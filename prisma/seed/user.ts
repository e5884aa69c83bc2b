import { hashPassword } from "@/lib/auth/passwords";
import { generateApiKey, hashApiKey, apiKeyPrefix } from "@/lib/auth/api-keys";
import type { Role } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";

export const TEST_PASSWORD = "correct horse battery";

export async function createUser(db: Db, overrides: { username?: string; role?: Role; password?: string; active?: boolean } = {}) {
  const role = overrides.role ?? "operator";
  return db.user.create({
    data: {
      username: overrides.username ?? `${role}-${Math.random().toString(36).slice(2, 8)}`,
      role,
      active: overrides.active ?? true,
      password_hash: await hashPassword(overrides.password ?? TEST_PASSWORD),
    },
  });
}

/** Inserts an API key and returns it with its plain secret (shown once in real life). */
export async function createApiKey(db: Db, overrides: { name?: string; role?: Role; revoked?: boolean; key?: string } = {}) {
  const key = overrides.key ?? generateApiKey();
  const row = await db.apiKey.create({
    data: {
      name: overrides.name ?? "ApexAPI",
      role: overrides.role ?? "operator",
      prefix: apiKeyPrefix(key),
      key_hash: hashApiKey(key),
      revoked_at: overrides.revoked ? new Date() : null,
    },
  });
  return { ...row, key };
}
