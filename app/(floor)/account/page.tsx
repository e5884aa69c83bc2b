import Link from "next/link";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { RecoveryKeyPanel } from "@/components/auth/recovery-key-panel";
import "@/components/layout/floor-shell-chunks";

export const metadata = { title: "My account — PreRoll Tracker" };

export default function AccountPage() {
  return (
    <div className="space-y-10">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold text-green-400">My account</h1>
        <Link href="/" className="inline-flex min-h-11 items-center rounded-lg bg-neutral-800 px-4 hover:bg-neutral-700">
          Back to the board
        </Link>
      </div>
      <ChangePasswordForm />
      <RecoveryKeyPanel />
    </div>
  );
}
