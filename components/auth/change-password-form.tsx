"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useCurrentUser } from "@/lib/client/current-user";
import { useState } from "react";
import { apiMutate, ApiRequestError } from "@/lib/client/api";
import { MIN_PASSWORD_LENGTH, passwordErrors, TextField } from "@/components/auth/form-field";
import { FormError } from "@/components/auth/form-error";

interface FieldErrors {
  current?: string;
  password?: string;
  confirm?: string;
}

/** Changes the signed-in user's own password. Every session ends, this one too, so it signs out. */
export function ChangePasswordForm() {
  const { username } = useCurrentUser();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const change = useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) => apiMutate<{ message: string }>("/api/account/password", body),
    onSuccess: () => {
      // The server ended every session of this user; give the message a moment, then sign in again.
      setTimeout(() => void signOut({ callbackUrl: "/login" }), 1500);
    },
    onError: (err) => {
      if (err instanceof ApiRequestError && err.code === "wrong_password") setFieldErrors({ current: "The current password is incorrect" });
    },
  });

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const current = String(form.get("current_password") ?? "");
    const next = String(form.get("new_password") ?? "");
    const errors: FieldErrors = passwordErrors(next, String(form.get("new_password_confirm") ?? ""));
    if (!current) errors.current = "Enter your current password";
    else if (current === next && !errors.password) errors.password = "Choose a password different from the current one";
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    change.mutate({ current_password: current, new_password: next });
  }

  const wrongPassword = change.error instanceof ApiRequestError && change.error.code === "wrong_password";
  return (
    <form onSubmit={submit} className="max-w-md space-y-4" noValidate aria-labelledby="change-password-heading">
      <h2 id="change-password-heading" className="text-xl font-semibold text-green-400">
        Change password
      </h2>
      {/* For password managers: which account this password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <TextField
        label="Current password"
        name="current_password"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.current}
      />
      <TextField
        label="New password"
        name="new_password"
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. You will be signed out everywhere and log in again with it.`}
        error={fieldErrors.password}
      />
      <TextField
        label="Confirm new password"
        name="new_password_confirm"
        type="password"
        autoComplete="new-password"
        required
        error={fieldErrors.confirm}
      />
      {!wrongPassword && <FormError error={change.error} />}
      {change.isSuccess ? (
        <p role="status" className="text-green-400">
          Password changed. Signing you out — log in again with the new password…
        </p>
      ) : (
        <button
          type="submit"
          disabled={change.isPending}
          className="min-h-12 rounded-lg bg-green-700 px-6 text-lg font-semibold hover:bg-green-800 disabled:opacity-50"
        >
          {change.isPending ? "Changing…" : "Change password"}
        </button>
      )}
    </form>
  );
}
