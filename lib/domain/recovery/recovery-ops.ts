import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";
import bcrypt from "bcryptjs";
import { generateRecoveryKey, hashPassword, MIN_PASSWORD_LENGTH, normalizeRecoveryKey, RECOVERY_KEY_PATTERN } from "@/lib/auth/passwords";
import { ApiError, badRequest } from "@/lib/http/errors";

/**
 * Password recovery (seed 001): a recovery key `HARVEST-XXXX-XXXX-XXXX`, bcrypt-hashed, shown once.
 * Verifying it opens a 10-minute reset window (a one-time token); resetting sets the password,
 * ends the user's sessions, retires the key and shows a new one once.
 */

const RESET_WINDOW_MS = 10 * 60 * 1000;

export const verifyRecoverySchema = z.strictObject({
  recovery_key: z.string().trim().max(40),
  username: z.string().trim().max(50).optional(),
});
export const resetPasswordSchema = z
  .strictObject({
    reset_token: z.string().min(20).max(200),
    password: z.string().min(MIN_PASSWORD_LENGTH, `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
    password_confirm: z.string().max(200).optional(),
  })
  .refine((v) => v.password_confirm === undefined || v.password_confirm === v.password, {
    message: "Passwords do not match",
    path: ["password_confirm"],
  });

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

async function issueRecoveryKey(m: Mutation, userId: string): Promise<string> {
  const key = generateRecoveryKey();
  await m.tx.recoveryKey.updateMany({ where: { user_id: userId, used_at: null }, data: { used_at: m.now } });
  await m.tx.recoveryKey.create({ data: { user_id: userId, key_hash: await bcrypt.hash(key, 10), created_at: m.now } });
  await m.emit("recovery_key.generated", { user_id: userId });
  return key;
}

/** A new recovery key for the signed-in user (the previous one stops working). */
export async function generateUserRecoveryKey(ctx: ActorContext, userId: string): Promise<string> {
  return mutate(ctx, async (m) => {
    const key = await issueRecoveryKey(m, userId);
    await m.audit({ entity: "user", entityId: userId, before: { recovery_key: null }, after: { recovery_key: "(generated)" } });
    return key;
  });
}

export async function hasRecoveryKey(): Promise<boolean> {
  return (await db.recoveryKey.count({ where: { used_at: null } })) > 0;
}

/**
 * Checks a recovery key; on success returns a reset token valid for 10 minutes. The token is
 * written in one `mutate` with an audit row (never the token itself — only that a reset window
 * opened, and until when) and a `recovery_key.verified` event.
 */
export async function verifyRecoveryKey(ctx: ActorContext, input: z.output<typeof verifyRecoverySchema>) {
  const key = normalizeRecoveryKey(input.recovery_key);
  if (!RECOVERY_KEY_PATTERN.test(key)) throw badRequest("Invalid recovery key", undefined, "invalid_recovery_key");
  const candidates = await db.recoveryKey.findMany({
    where: { used_at: null, ...(input.username ? { user: { username: input.username } } : {}) },
    include: { user: { select: { id: true, active: true, username: true } } },
  });
  if (candidates.length === 0) throw badRequest("No recovery key configured", undefined, "no_recovery_key");
  let match: (typeof candidates)[number] | undefined;
  // bcrypt is slow on purpose: compared before the transaction, which only re-checks the key is still current.
  for (const c of candidates) {
    if (await bcrypt.compare(key, c.key_hash)) match ??= c;
  }
  if (!match || !match.user.active) throw badRequest("Invalid recovery key", undefined, "invalid_recovery_key");
  const { user_id: userId, id: keyId, user } = match;
  const token = randomBytes(32).toString("base64url");
  return mutate(ctx, async (m) => {
    if (!(await m.tx.recoveryKey.findFirst({ where: { id: keyId, used_at: null }, select: { id: true } }))) {
      throw badRequest("Invalid recovery key", undefined, "invalid_recovery_key");
    }
    const expiresAt = new Date(m.now.getTime() + RESET_WINDOW_MS);
    await m.tx.passwordResetToken.create({ data: { user_id: userId, token_hash: tokenHash(token), expires_at: expiresAt } });
    await m.audit({
      entity: "user",
      entityId: userId,
      label: user.username,
      before: { password_reset_window: null },
      after: { password_reset_window: `(recovery key verified; open until ${expiresAt.toISOString()})` },
    });
    await m.emit("recovery_key.verified", { user_id: userId, username: user.username });
    return { reset_token: token, expires_at: expiresAt.toISOString() };
  });
}

/** Sets the new password with a valid reset token; returns the user's new recovery key (once). */
export async function resetPassword(ctx: ActorContext, input: z.output<typeof resetPasswordSchema>) {
  const hash = await hashPassword(input.password);
  return mutate(ctx, async (m) => {
    const token = await m.tx.passwordResetToken.findUnique({
      where: { token_hash: tokenHash(input.reset_token) },
      include: { user: true },
    });
    if (!token || token.used_at || token.expires_at <= m.now) {
      throw new ApiError(400, "reset_token_expired", "This reset link has expired; verify your recovery key again");
    }
    await m.tx.passwordResetToken.update({ where: { id: token.id }, data: { used_at: m.now } });
    await m.tx.user.update({ where: { id: token.user_id }, data: { password_hash: hash, session_version: { increment: 1 } } });
    const recoveryKey = await issueRecoveryKey(m, token.user_id);
    await m.audit({
      entity: "user",
      entityId: token.user_id,
      label: token.user.username,
      before: { password: null },
      after: { password: "(reset with recovery key)" },
    });
    await m.emit("user.password_reset", { user_id: token.user_id, username: token.user.username, via: "recovery_key" });
    return { username: token.user.username, recovery_key: recoveryKey };
  });
}
