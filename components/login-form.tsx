"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";

function LoginFormInner({ switchOverUsername }: { switchOverUsername: string | null }) {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(params.get("error") ? "Invalid username or password" : null);
  const [busy, setBusy] = useState(false);

  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setBusy(false);
    if (res?.ok && !res.error) {
      router.replace(params.get("callbackUrl")?.startsWith("/") ? params.get("callbackUrl")! : "/");
      router.refresh();
    } else {
      setError(res?.error && res.error.startsWith("Too many") ? res.error : "Invalid username or password");
    }
  }

  return (
    <form action={submit} className="w-full max-w-sm space-y-4 rounded-2xl bg-neutral-900 p-8 shadow-xl">
      <h1 className="text-center text-2xl font-bold text-green-400">Pre-Roll Tracker</h1>
      {switchOverUsername && (
        <p className="rounded-lg bg-neutral-800 p-3 text-sm text-neutral-200">
          Coming from the old PreRollTracker? Log in with the username <strong className="text-white">{switchOverUsername}</strong> and the
          old admin password.
        </p>
      )}
      <label className="block">
        <span className="text-sm text-neutral-300">Username</span>
        <input name="username" autoComplete="username" required className="mt-1 min-h-12 w-full rounded-lg bg-neutral-800 px-3 text-lg" />
      </label>
      <label className="block">
        <span className="text-sm text-neutral-300">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 min-h-12 w-full rounded-lg bg-neutral-800 px-3 text-lg"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-400">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="min-h-12 w-full rounded-lg bg-green-700 text-lg font-semibold hover:bg-green-800 disabled:opacity-50"
      >
        {busy ? "Signing in…" : "Log in"}
      </button>
      <p className="text-center text-sm">
        <Link href="/forgot-password" className="text-green-400 hover:underline">
          Forgot password?
        </Link>
      </p>
    </form>
  );
}

/** `switchOverUsername`: after a switch-over from PreRollTracker, the username its admin password now belongs to. */
export function LoginForm({ switchOverUsername = null }: { switchOverUsername?: string | null }) {
  return (
    <Suspense>
      <LoginFormInner switchOverUsername={switchOverUsername} />
    </Suspense>
  );
}
