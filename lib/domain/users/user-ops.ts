import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "@/lib/auth/passwords";
import { roles } from "@/lib/auth/roles";
import { USERNAME_PATTERN } from "@/lib/auth/rules";
import { badRequest, conflict, notFound } from "@/lib/http/errors";
import type { User } from "@/lib/generated/prisma/client";

const password = z.string().min(MIN_PASSWORD_LENGTH, `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`).max(200);
const username = z.string().trim().regex(USERNAME_PATTERN, "2–50 letters, digits, dots, dashes or underscores");

export const createUserSchema = z.strictObject({ username, password, role: z.enum(roles).default("operator") });
export const updateUserSchema = z
  .strictObject({ role: z.enum(roles).optional(), active: z.boolean().optional(), password: password.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to update" });
export const changeOwnPasswordSchema = z.strictObject({ current_password: z.string().max(200), new_password: password });

export function summarizeUser(u: User) {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    active: u.active,
    created_at: u.created_at.toISOString(),
    last_login_at: u.last_login_at?.toISOString() ?? null,
  };
}

export async function listUsers() {
  return (await db.user.findMany({ orderBy: { username: "asc" } })).map(summarizeUser);
}

export async function createUser(ctx: ActorContext, input: z.output<typeof createUserSchema>) {
  return mutate(ctx, async (m) => {
    if (await m.tx.user.findUnique({ where: { username: input.username } })) {
      throw conflict(`User ${input.username} already exists`, undefined, "username_taken");
    }
    const user = await m.tx.user.create({
      data: { username: input.username, role: input.role, password_hash: await hashPassword(input.password), created_at: m.now },
    });
    await m.audit({
      entity: "user",
      entityId: user.id,
      label: user.username,
      before: null,
      after: { username: user.username, role: user.role },
    });
    await m.emit("user.created", { user_id: user.id, username: user.username, role: user.role });
    return summarizeUser(user);
  });
}

/** Role, active flag or a new password; the last active admin cannot be demoted or disabled. */
export async function updateUser(ctx: ActorContext, id: string, input: z.output<typeof updateUserSchema>) {
  return mutate(ctx, async (m) => {
    const before = await m.tx.user.findUnique({ where: { id } });
    if (!before) throw notFound("User not found", "user_not_found");
    const losesAdmin = before.role === "admin" && before.active && ((input.role && input.role !== "admin") || input.active === false);
    if (losesAdmin && (await m.tx.user.count({ where: { role: "admin", active: true } })) <= 1) {
      throw conflict("The last active admin cannot be demoted or disabled", undefined, "last_admin");
    }
    const endsSessions = input.password !== undefined || input.active === false || (input.role !== undefined && input.role !== before.role);
    const user = await m.tx.user.update({
      where: { id },
      data: {
        role: input.role,
        active: input.active,
        password_hash: input.password ? await hashPassword(input.password) : undefined,
        session_version: endsSessions ? { increment: 1 } : undefined,
      },
    });
    const changed = { role: input.role, active: input.active, password: input.password ? "(changed)" : undefined };
    await m.audit({ entity: "user", entityId: id, label: user.username, before: { ...before, password: null }, after: changed });
    await m.emit("user.updated", {
      user_id: id,
      username: user.username,
      changed_fields: Object.keys(changed).filter((k) => changed[k as keyof typeof changed] !== undefined),
    });
    return summarizeUser(user);
  });
}

export async function deleteUser(ctx: ActorContext, id: string, selfId: string) {
  if (id === selfId) throw badRequest("You cannot delete your own account", undefined, "cannot_delete_self");
  return mutate(ctx, async (m) => {
    const user = await m.tx.user.findUnique({ where: { id } });
    if (!user) throw notFound("User not found", "user_not_found");
    if (user.role === "admin" && user.active && (await m.tx.user.count({ where: { role: "admin", active: true } })) <= 1) {
      throw conflict("The last active admin cannot be deleted", undefined, "last_admin");
    }
    await m.tx.user.delete({ where: { id } });
    await m.audit({ entity: "user", entityId: id, label: user.username, before: user, after: null });
    await m.emit("user.updated", { user_id: id, username: user.username, changed_fields: ["deleted"] });
  });
}

/** A signed-in user changes their own password (other sessions end; this one must sign in again). */
export async function changeOwnPassword(ctx: ActorContext, userId: string, input: z.output<typeof changeOwnPasswordSchema>) {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user || !(await verifyPassword(input.current_password, user.password_hash))) {
    throw badRequest("Current password is incorrect", { fields: { current_password: ["Incorrect password"] } }, "wrong_password");
  }
  const hash = await hashPassword(input.new_password);
  await mutate(ctx, async (m) => {
    await m.tx.user.update({ where: { id: userId }, data: { password_hash: hash, session_version: { increment: 1 } } });
    await m.audit({ entity: "user", entityId: userId, label: user.username, before: { password: null }, after: { password: "(changed)" } });
    await m.emit("user.password_reset", { user_id: userId, username: user.username, via: "self" });
  });
}
