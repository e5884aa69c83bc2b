"use client";

import Link from "next/link";
import { useState } from "react";
import { apiFetch, ApiRequestError } from "@/lib/client/api";
import { MIN_PASSWORD_LENGTH, passwordErrors, TextField } from "@/components/auth/form-field";
import { FormError } from "@/components/auth/form-error";
import { OneTimeSecret } from "@/components/auth/one-time-secret";

interface ResetResponse {
  success: true;
  username: string;
  recovery_key: string;
  message: string;
}

/** The reset token is unusable: expired, already used, or not a token at all. */
function isDeadToken(err: unknown): boolean {
  return (
    err instanceof ApiRequestError &&
    (err.code === "reset_token_expired" || (err.code === "validation_failed" && /reset_token/.test(err.message)))
  );
}

/** What to show instead of the form when the reset token is missing, expired or used. */
export function ExpiredResetLink({ missing = false }: { missing?: boolean }) {
  return (
    <div role="alert" className="space-y-3 rounded-lg border border-red-800 bg-red-950/40 p-4">
      <p className="font-semibold text-red-300">
        {missing ? "This page needs a reset link from the forgot-password page." : "This reset link has expired or was already used."}
      </p>
      <p className="text-sm text-neutral-300">Reset links work once, for 10 minutes. Verify your recovery key again to get a new one.</p>
      <Link
        href="/forgot-password"
        className="inline-flex min-h-11 items-center rounded-lg bg-green-700 px-4 font-semibold hover:bg-green-800"
      >
        Verify recovery key again
      </Link>
    </div>
  );
}

/** Forgot password, step 2: the new password; the answer carries the user's new recovery key, shown once. */
export function ResetPasswordForm({ token }: { token: string }) {
  const [fieldErrors, setFieldErrors] = useState<{ password?: string; confirm?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ResetResponse | null>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    const confirm = String(form.get("password_confirm") ?? "");
    const errors = passwordErrors(password, confirm);
    setFieldErrors(errors);
    setError(null);
    if (errors.password || errors.confirm) return;
    setBusy(true);
    try {
      setResult(
        await apiFetch<ResetResponse>("/api/password-recovery/reset", {
          method: "POST",
          json: { reset_token: token, password, password_confirm: confirm },
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (result) {
    return (
      <div className="space-y-5">
        <p role="status" className="text-green-400">
          The password for <strong>{result.username}</strong> has been changed. Any signed-in sessions have ended.
        </p>
        <OneTimeSecret title="Your new recovery key" secret={result.recovery_key} testId="recovery-key">
          <p className="text-sm text-neutral-300">
            Your old recovery key no longer works. Keep this one for the next time you forget your password.
          </p>
        </OneTimeSecret>
        <Link
          href="/login"
          className="flex min-h-12 w-full items-center justify-center rounded-lg bg-green-700 text-lg font-semibold hover:bg-green-800"
        >
          Go to login
        </Link>
      </div>
    );
  }

  if (isDeadToken(error)) return <ExpiredResetLink />;

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <p className="text-sm text-neutral-300">
        Choose a new password. This page works for 10 minutes after your recovery key was accepted.
      </p>
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        error={fieldErrors.password}
      />
      <TextField
        label="Confirm new password"
        name="password_confirm"
        type="password"
        autoComplete="new-password"
        required
        error={fieldErrors.confirm}
      />
      <FormError error={error} />
      <button
        type="submit"
        disabled={busy}
        className="min-h-12 w-full rounded-lg bg-green-700 text-lg font-semibold hover:bg-green-800 disabled:opacity-50"
      >
        {busy ? "Saving…" : "Set new password"}
      </button>
      <p className="text-center text-sm">
        <Link href="/login" className="text-green-400 hover:underline">
          Back to login
        </Link>
      </p>
    </form>
  );
}
