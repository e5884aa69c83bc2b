import { LoginForm } from "@/components/login-form";
import { Providers } from "@/components/providers";

export const metadata = { title: "Login — PreRoll Tracker" };

export default function LoginPage() {
  return (
    <Providers>
      <main className="flex min-h-screen items-center justify-center p-4">
        <LoginForm />
      </main>
    </Providers>
  );
}
