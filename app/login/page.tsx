import { LoginForm } from "@/components/login-form";
import { switchOverUsername } from "@/lib/domain/legacy-import/switch-over-login";

export const metadata = { title: "Login — PreRoll Tracker" };
// Reads whether this install was switched over from PreRollTracker (the hint below the title).
export const dynamic = "force-dynamic";

export default async function LoginPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <LoginForm switchOverUsername={await switchOverUsername()} />
    </main>
  );
}
