import { AuthCard } from "@/components/auth/auth-card";
import { ExpiredResetLink, ResetPasswordForm } from "@/components/auth/reset-password-form";

export const metadata = { title: "Reset password — PreRoll Tracker" };

/** `/reset-password?token=…`, reached from /forgot-password once a recovery key was accepted. */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
  return (
    <AuthCard title="Set a new password">
      {token.length >= 20 ? <ResetPasswordForm token={token} /> : <ExpiredResetLink missing={token === ""} />}
    </AuthCard>
  );
}
