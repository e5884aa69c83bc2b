"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCurrentUser } from "@/lib/client/current-user";
import { useId, useState } from "react";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { roles, type Role } from "@/lib/auth/roles";
import { MIN_PASSWORD_LENGTH, TextField } from "@/components/auth/form-field";
import { USERNAME_PATTERN } from "@/lib/auth/rules";
import { FormError } from "@/components/auth/form-error";
import { ConfirmDialog } from "@/components/admin/confirm-dialog";
import { dangerButton, formatDateTime, primaryButton, secondaryButton, selectClass } from "@/components/admin/format";

export interface UserRow {
  id: string;
  username: string;
  role: Role;
  active: boolean;
  created_at: string;
  last_login_at: string | null;
}

const USERS_KEY = ["admin", "users"] as const;
/** Mirrors createUserSchema's username rule (lib/domain/users/user-ops.ts). */

const ROLE_HELP: Record<Role, string> = {
  viewer: "reads everything",
  operator: "production actions",
  admin: "everything, users and API keys",
};

type UserPatch = { role?: Role; active?: boolean; password?: string };

/** /admin/users: the user list with role, active flag, password and delete, plus "create user". */
export function UsersAdmin() {
  const users = useQuery({ queryKey: USERS_KEY, queryFn: () => apiFetch<{ users: UserRow[] }>("/api/users") });
  const selfId = useCurrentUser().id;

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-bold text-green-400">Users</h1>
      <CreateUserForm />
      <section aria-labelledby="user-list-heading" className="space-y-3">
        <h2 id="user-list-heading" className="text-xl font-semibold text-green-400">
          All users {users.data && <span className="text-base font-normal text-neutral-400">({users.data.users.length})</span>}
        </h2>
        {users.isPending && <p className="text-neutral-400">Loading users…</p>}
        {users.isError && <FormError error={users.error} />}
        {users.data && (
          <ul className="space-y-3" data-testid="user-list">
            {users.data.users.map((u) => (
              <UserItem key={u.id} user={u} isSelf={u.id === selfId} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function RoleSelect({ id, value, onChange, className = "" }: { id: string; value: Role; onChange: (r: Role) => void; className?: string }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as Role)} className={`${selectClass} max-w-full ${className}`}>
      {roles.map((r) => (
        <option key={r} value={r}>
          {r} — {ROLE_HELP[r]}
        </option>
      ))}
    </select>
  );
}

function CreateUserForm() {
  const client = useQueryClient();
  const roleId = useId();
  const [role, setRole] = useState<Role>("operator");
  const [errors, setErrors] = useState<{ username?: string; password?: string }>({});
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: { username: string; password: string; role: Role }) => apiMutate<{ user: UserRow }>("/api/users", body),
    onSuccess: (res) => {
      setCreated(res.user.username);
      return client.invalidateQueries({ queryKey: USERS_KEY });
    },
  });

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const username = String(form.get("username") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const next: typeof errors = {};
    if (!USERNAME_PATTERN.test(username)) next.username = "2–50 characters: letters, digits, dot, dash and underscore only";
    if (password.length < MIN_PASSWORD_LENGTH) next.password = `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`;
    setErrors(next);
    setCreated(null);
    if (next.username || next.password) return;
    create.mutate({ username, password, role }, { onSuccess: () => formEl.reset() });
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby="create-user-heading"
      className="space-y-4 rounded-xl border border-neutral-800 bg-neutral-900 p-4"
    >
      <h2 id="create-user-heading" className="text-xl font-semibold text-green-400">
        Create user
      </h2>
      <div className="grid gap-4 md:grid-cols-3">
        <TextField label="Username" name="username" autoComplete="off" required error={errors.username} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Tell the user; they can change it on My account.`}
          error={errors.password}
        />
        <div>
          <label htmlFor={roleId} className="block text-sm text-neutral-300">
            Role
          </label>
          <RoleSelect id={roleId} value={role} onChange={setRole} className="mt-1 min-h-12 w-full" />
        </div>
      </div>
      <FormError error={create.error} />
      {created && (
        <p role="status" className="text-green-400">
          User {created} created.
        </p>
      )}
      <button type="submit" disabled={create.isPending} className={primaryButton}>
        {create.isPending ? "Creating…" : "Create user"}
      </button>
    </form>
  );
}

function UserItem({ user, isSelf }: { user: UserRow; isSelf: boolean }) {
  const client = useQueryClient();
  const roleId = useId();
  const [role, setRole] = useState<Role>(user.role);
  const [settingPassword, setSettingPassword] = useState(false);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"delete" | "deactivate" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const update = useMutation({
    mutationFn: (patch: UserPatch) => apiMutate<{ user: UserRow }>(`/api/users/${user.id}`, patch, "PATCH"),
    onSuccess: (res, patch) => {
      setConfirm(null);
      setSettingPassword(false);
      setNotice(
        patch.password !== undefined
          ? "Password set; the user's sessions have ended."
          : patch.active !== undefined
            ? res.user.active
              ? "Activated."
              : "Deactivated; the user's sessions have ended."
            : `Role changed to ${res.user.role}.`,
      );
      return client.invalidateQueries({ queryKey: USERS_KEY });
    },
    onError: (_err, patch) => {
      setNotice(null);
      if (patch.role !== undefined) setRole(user.role);
    },
  });
  const remove = useMutation({
    mutationFn: () => apiMutate(`/api/users/${user.id}`, undefined, "DELETE"),
    onSuccess: () => {
      setConfirm(null);
      return client.invalidateQueries({ queryKey: USERS_KEY });
    },
  });

  function submitPassword(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    if (password.length < MIN_PASSWORD_LENGTH) {
      setPasswordError(`Passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
      return;
    }
    setPasswordError(null);
    update.mutate({ password });
  }

  const busy = update.isPending || remove.isPending;
  return (
    <li data-testid="user-row" data-username={user.username} className="rounded-xl border border-neutral-800 bg-neutral-900 p-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-lg font-semibold text-green-400">
            {user.username}
            {isSelf && <span className="ml-2 text-sm font-normal text-neutral-400">(you)</span>}
          </p>
          <p className="text-sm text-neutral-400">
            <span data-testid="user-role">{user.role}</span> ·{" "}
            <span data-testid="user-status" className={user.active ? "text-green-400" : "text-red-400"}>
              {user.active ? "active" : "inactive"}
            </span>{" "}
            · last login {formatDateTime(user.last_login_at, "never")} · created {formatDateTime(user.created_at)}
          </p>
        </div>
        <form
          className="flex w-full flex-wrap items-center gap-2 sm:w-auto"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ role });
          }}
        >
          <label htmlFor={roleId} className="sr-only">
            Role of {user.username}
          </label>
          <RoleSelect id={roleId} value={role} onChange={setRole} className="min-w-0 flex-1" />
          <button type="submit" disabled={busy || role === user.role} className={primaryButton}>
            Save role
          </button>
        </form>
      </div>

      <div className="mt-3 flex flex-wrap gap-2">
        {user.active ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => setConfirm("deactivate")}
            className={secondaryButton}
            aria-label={`Deactivate ${user.username}`}
          >
            Deactivate
          </button>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => update.mutate({ active: true })}
            className={secondaryButton}
            aria-label={`Activate ${user.username}`}
          >
            Activate
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          aria-expanded={settingPassword}
          onClick={() => {
            setSettingPassword((v) => !v);
            setPasswordError(null);
          }}
          className={secondaryButton}
          aria-label={`Set password for ${user.username}`}
        >
          Set password
        </button>
        <button
          type="button"
          disabled={busy || isSelf}
          title={isSelf ? "You cannot delete your own account" : undefined}
          onClick={() => setConfirm("delete")}
          className={dangerButton}
          aria-label={`Delete ${user.username}`}
        >
          Delete
        </button>
      </div>

      {settingPassword && (
        <form onSubmit={submitPassword} noValidate className="mt-3 flex flex-wrap items-end gap-2">
          <TextField
            label={`New password for ${user.username}`}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            className="min-w-64 flex-1"
            error={passwordError}
            hint="Their current sessions end; tell them the new password."
          />
          <button type="submit" disabled={busy} className={`${primaryButton} mb-6 min-h-12`}>
            {update.isPending ? "Saving…" : "Save password"}
          </button>
        </form>
      )}

      {!confirm && <FormError error={update.error} className="mt-3" />}
      {notice && !update.error && (
        <p role="status" className="mt-3 text-sm text-green-400">
          {notice}
        </p>
      )}

      {confirm === "delete" && (
        <ConfirmDialog
          title={`Delete ${user.username}?`}
          confirmLabel="Delete user"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
          onCancel={() => {
            setConfirm(null);
            remove.reset();
          }}
        >
          <p>The account is removed for good. Their past actions stay in the audit log under their name.</p>
          <p>To only stop them logging in, deactivate the account instead.</p>
        </ConfirmDialog>
      )}
      {confirm === "deactivate" && (
        <ConfirmDialog
          title={`Deactivate ${user.username}?`}
          confirmLabel="Deactivate"
          busy={update.isPending}
          error={update.error}
          onConfirm={() => update.mutate({ active: false })}
          onCancel={() => {
            setConfirm(null);
            update.reset();
          }}
        >
          <p>
            {isSelf
              ? "You will be signed out and can no longer log in."
              : `${user.username} is signed out and can no longer log in until reactivated.`}
          </p>
        </ConfirmDialog>
      )}
    </li>
  );
}
