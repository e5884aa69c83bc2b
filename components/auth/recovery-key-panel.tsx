"use client";

import { useMutation } from "@tanstack/react-query";
import { apiMutate } from "@/lib/client/api";
import { FormError } from "@/components/auth/form-error";
import { OneTimeSecret } from "@/components/auth/one-time-secret";

interface RecoveryKeyResponse {
  success: true;
  recovery_key: string;
  message: string;
}

/** Generates the signed-in user's recovery key (for /forgot-password) and shows it once. */
export function RecoveryKeyPanel() {
  const generate = useMutation({
    mutationFn: () => apiMutate<RecoveryKeyResponse>("/api/account/recovery-key", {}),
  });
  return (
    <section className="max-w-2xl space-y-4" aria-labelledby="recovery-key-heading">
      <h2 id="recovery-key-heading" className="text-xl font-semibold text-green-400">
        Recovery key
      </h2>
      <p className="text-neutral-300">
        A recovery key lets you set a new password on the <span className="font-semibold">Forgot password?</span> page when you cannot log
        in. Generating a new key makes your previous key stop working.
      </p>
      {generate.data ? (
        <OneTimeSecret
          title="Your recovery key"
          secret={generate.data.recovery_key}
          testId="recovery-key"
          onDismiss={() => generate.reset()}
        >
          <p className="text-sm text-neutral-300">Keep it on paper or in a password manager, away from the tablet.</p>
        </OneTimeSecret>
      ) : (
        <button
          type="button"
          onClick={() => generate.mutate()}
          disabled={generate.isPending}
          className="min-h-12 rounded-lg bg-green-700 px-6 text-lg font-semibold hover:bg-green-800 disabled:opacity-50"
        >
          {generate.isPending ? "Generating…" : "Generate recovery key"}
        </button>
      )}
      <FormError error={generate.error} />
    </section>
  );
}
