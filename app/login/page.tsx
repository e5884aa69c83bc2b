import { LoginForm } from "@/components/login-form";

export const metadata = { title: "Login — PreRoll Tracker" };

export default function LoginPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <LoginForm />
    </main>
  );
}
