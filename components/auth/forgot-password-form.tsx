"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch, ApiRequestError } from "@/lib/client/api";
import { TextField } from "@/components/auth/form-field";
import { FormError } from "@/components/auth/form-error";
import { RECOVERY_KEY_PATTERN } from "@/lib/auth/rules";

interface VerifyResponse {
  success: true;
  reset_token: string;
  expires_at: string;
}

/**
 * Forgot password, step 1: a recovery key (and optionally the username) → a reset token valid for
 * 10 minutes → /reset-password. The server allows only 2 attempts a minute, so the key's format
 * is checked here first and a typo does not use one up.
 */
export function ForgotPasswordForm() {
  const router = useRouter();
  const [keyError, setKeyError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [verified, setVerified] = useState(false);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    const recoveryKey = String(form.get("recovery_key") ?? "")
      .trim()
      .toUpperCase();
    const username = String(form.get("username") ?? "").trim();
    if (!RECOVERY_KEY_PATTERN.test(recoveryKey)) {
      setKeyError("Enter the key exactly as written: HARVEST-XXXX-XXXX-XXXX");
      return;
    }
    setKeyError(null);
    setBusy(true);
    try {
      const res = await apiFetch<VerifyResponse>("/api/password-recovery/verify", {
        method: "POST",
        json: { recovery_key: recoveryKey, ...(username ? { username } : {}) },
      });
      setVerified(true);
      router.push(`/reset-password?token=${encodeURIComponent(res.reset_token)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <p className="text-sm text-neutral-300">
        Enter the recovery key you wrote down when it was generated. If it is valid you get 10 minutes to choose a new password.
      </p>
      <TextField
        label="Username (optional)"
        name="username"
        autoComplete="username"
        hint="Speeds up the check when several users have keys."
      />
      <TextField
        label="Recovery key"
        name="recovery_key"
        required
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        placeholder="HARVEST-XXXX-XXXX-XXXX"
        inputClassName="font-mono uppercase"
        error={keyError}
      />
      <FormError error={error} />
      {error instanceof ApiRequestError && error.status === 429 && (
        <p className="text-sm text-neutral-400">
          For safety only 2 recovery attempts a minute are allowed: wait a minute before trying again.
        </p>
      )}
      {verified && (
        <p role="status" className="text-sm text-green-400">
          Key accepted — opening the reset page…
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="min-h-12 w-full rounded-lg bg-green-700 text-lg font-semibold hover:bg-green-800 disabled:opacity-50"
      >
        {busy ? "Checking…" : "Verify recovery key"}
      </button>
      <p className="text-center text-sm">
        <Link href="/login" className="text-green-400 hover:underline">
          Back to login
        </Link>
      </p>
    </form>
  );
}
