import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";
import { apiKeyPrefix, generateApiKey, hashApiKey } from "@/lib/auth/api-keys";
import { roles } from "@/lib/auth/roles";
import { notFound } from "@/lib/http/errors";
import type { ApiKey } from "@/lib/generated/prisma/client";
import { DEFAULT_GRACE_HOURS, MAX_GRACE_HOURS } from "@/lib/domain/api-keys/grace";

/**
 * API keys for ApexAPI and integrations. Several can be active at once; regenerating keeps the old
 * key working for a grace period (default 24 h) so the client can be switched over without the
 * silent breakage the legacy system caused.
 */

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(roles).default("operator"),
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
});

/**
 * Both regenerate routes (ours and the contract's `POST /api/api-key/regenerate`): the old key
 * overlaps the new one for `grace_hours` (default 24 h, so ApexAPI is not cut off mid-switch);
 * `grace_hours: 0` revokes it at once.
 */
export const regenerateApiKeySchema = z.strictObject({
  grace_hours: z.number().min(0).max(MAX_GRACE_HOURS).default(DEFAULT_GRACE_HOURS),
});

export function summarizeApiKey(k: ApiKey, now = new Date()) {
  const expired = k.expires_at !== null && k.expires_at <= now;
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    created_at: k.created_at.toISOString(),
    last_used_at: k.last_used_at?.toISOString() ?? null,
    expires_at: k.expires_at?.toISOString() ?? null,
    revoked_at: k.revoked_at?.toISOString() ?? null,
    active: k.revoked_at === null && !expired,
  };
}

async function insertKey(m: Mutation, name: string, role: string, createdBy: string | null, expiresAt: Date | null) {
  const key = generateApiKey();
  const row = await m.tx.apiKey.create({
    data: {
      name,
      role,
      prefix: apiKeyPrefix(key),
      key_hash: hashApiKey(key),
      created_by: createdBy,
      expires_at: expiresAt,
      created_at: m.now,
    },
  });
  await m.audit({ entity: "api_key", entityId: row.id, label: name, before: null, after: { name, role, prefix: row.prefix } });
  await m.emit("api_key.created", { api_key_id: row.id, name, prefix: row.prefix });
  return { key, row };
}

export async function createApiKey(ctx: ActorContext, input: z.output<typeof createApiKeySchema>, createdBy: string | null) {
  const { key, row } = await mutate(ctx, (m) =>
    insertKey(m, input.name, input.role, createdBy, input.expires_at ? new Date(input.expires_at) : null),
  );
  return { api_key: key, key: summarizeApiKey(row) };
}

export async function listApiKeys() {
  const rows = await db.apiKey.findMany({ orderBy: { created_at: "desc" } });
  const now = new Date();
  return rows.map((k) => summarizeApiKey(k, now));
}

export async function revokeApiKey(ctx: ActorContext, id: string) {
  return mutate(ctx, async (m) => {
    const before = await m.tx.apiKey.findUnique({ where: { id } });
    if (!before) throw notFound("API key not found", "api_key_not_found");
    const row = before.revoked_at ? before : await m.tx.apiKey.update({ where: { id }, data: { revoked_at: m.now } });
    await m.audit({ entity: "api_key", entityId: id, label: row.name, before, after: { revoked_at: row.revoked_at } });
    await m.emit("api_key.revoked", { api_key_id: id, name: row.name, prefix: row.prefix });
    return summarizeApiKey(row, m.now);
  });
}

/**
 * A new key with the old one's name and role; the old key keeps working for `graceHours`
 * (0 = revoked at once). Without an id, acts on the newest active key (the legacy single key),
 * creating one named "ApexAPI" when there is none.
 */
export async function regenerateApiKey(ctx: ActorContext, id: string | null, graceHours: number, createdBy: string | null) {
  return mutate(ctx, async (m) => {
    const old = id
      ? await m.tx.apiKey.findUnique({ where: { id } })
      : await m.tx.apiKey.findFirst({
          where: { revoked_at: null, OR: [{ expires_at: null }, { expires_at: { gt: m.now } }] },
          orderBy: { created_at: "desc" },
        });
    if (id && !old) throw notFound("API key not found", "api_key_not_found");
    const { key, row } = await insertKey(m, old?.name ?? "ApexAPI", old?.role ?? "operator", createdBy, null);
    let previous: ApiKey | null = null;
    if (old && !old.revoked_at) {
      const until = new Date(m.now.getTime() + graceHours * 3_600_000);
      previous = await m.tx.apiKey.update({
        where: { id: old.id },
        data: graceHours === 0 ? { revoked_at: m.now } : { expires_at: old.expires_at && old.expires_at < until ? old.expires_at : until },
      });
      await m.audit({
        entity: "api_key",
        entityId: old.id,
        label: old.name,
        before: old,
        after: { revoked_at: previous.revoked_at, expires_at: previous.expires_at },
      });
    }
    return { api_key: key, key: summarizeApiKey(row, m.now), previous: previous ? summarizeApiKey(previous, m.now) : null };
  });
}
