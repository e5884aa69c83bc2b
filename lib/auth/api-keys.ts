import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { isRole, type Role } from "@/lib/auth/roles";
import { logger } from "@/lib/log";

/**
 * API keys: 256-bit random secrets shown once, stored as SHA-256 (a slow hash buys nothing for a
 * random key and would cost every ApexAPI poll). Several may be active at once so a key can be
 * rotated without breaking the client. Lookup finds candidates by prefix, then compares hashes in
 * constant time.
 */

export const API_KEY_PREFIX_LENGTH = 12;
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export function generateApiKey(): string {
  return `prt_${randomBytes(32).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX_LENGTH);
}

export interface ApiKeyPrincipal {
  kind: "api_key";
  id: string;
  name: string;
  prefix: string;
  role: Role;
}

interface Candidate {
  id: string;
  name: string;
  prefix: string;
  role: string;
  key_hash: string;
  revoked_at: Date | null;
  expires_at: Date | null;
}

const lastUsedWritten = new Map<string, number>();

/** Resolves an `X-API-Key` value to its key, or null. Revoked and expired keys never match. */
export async function authenticateApiKey(presented: string): Promise<ApiKeyPrincipal | null> {
  if (presented.length < API_KEY_PREFIX_LENGTH || presented.length > 200) return null;
  const prefix = apiKeyPrefix(presented);
  const candidates = await memoByDataVersion(`api-key:${prefix}`, () =>
    db.apiKey.findMany({
      where: { prefix },
      select: { id: true, name: true, prefix: true, role: true, key_hash: true, revoked_at: true, expires_at: true },
    }),
  );
  const presentedHash = Buffer.from(hashApiKey(presented), "hex");
  let match: Candidate | null = null;
  for (const c of candidates) {
    // Compare every candidate (no early exit) so timing says nothing about which one matched.
    if (timingSafeEqual(presentedHash, Buffer.from(c.key_hash, "hex")) && !match) match = c;
  }
  const now = Date.now();
  if (!match || match.revoked_at || (match.expires_at && match.expires_at.getTime() <= now)) return null;
  touchLastUsed(match.id, now);
  return {
    kind: "api_key",
    id: match.id,
    name: match.name,
    prefix: match.prefix,
    role: isRole(match.role) ? match.role : "viewer",
  };
}

/** last_used_at is written at most once a minute per key: a poll every 5 s must not write. */
function touchLastUsed(id: string, now: number): void {
  const last = lastUsedWritten.get(id) ?? 0;
  if (now - last < LAST_USED_WRITE_INTERVAL_MS) return;
  lastUsedWritten.set(id, now);
  db.apiKey
    .update({ where: { id }, data: { last_used_at: new Date(now) } })
    .catch((err: unknown) => logger.warn({ err }, "could not record API key use"));
}
